import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { duration, shortSha, splitError } from '../../dashboard/src/format.ts';
import { keyFromFragment } from '../../dashboard/src/session.ts';
import { SseParser } from '../../dashboard/src/sse.ts';

// The dashboard's parts that need no browser: the event stream's frames, the login fragment,
// and how durations and failed deployments read.

describe('Server-Sent Events frames', () => {
  test('frames split across chunks come out whole, comments are skipped', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('event: hello\ndata: {"a"'), []);
    assert.deepEqual(parser.push(':1}\n\n: keep-alive\n\nevent: transition\r\ndata: {}\r\n\r\n'), [
      { event: 'hello', data: '{"a":1}' },
      { event: 'transition', data: '{}' },
    ]);
  });

  test('several data lines are one value, and a frame without data is nothing', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: one\ndata: two\n\nevent: empty\n\n'), [{ event: 'message', data: 'one\ntwo' }]);
  });
});

describe('the login fragment', () => {
  test('#key= gives the key; other fragments give none', () => {
    assert.equal(keyFromFragment('#key=acc_0123'), 'acc_0123');
    assert.equal(keyFromFragment('#stack=web&key=acc_x'), 'acc_x');
    assert.equal(keyFromFragment('#key='), null);
    assert.equal(keyFromFragment('#/stacks/web'), null);
    assert.equal(keyFromFragment(''), null);
  });
});

describe('formatting', () => {
  test('durations read in the unit that fits', () => {
    const start = '2024-01-01T00:00:00.000Z';
    assert.equal(duration(start, '2024-01-01T00:00:00.850Z'), '850 ms');
    assert.equal(duration(start, '2024-01-01T00:00:12.400Z'), '12.4 s');
    assert.equal(duration(start, '2024-01-01T00:03:05.000Z'), '3 min 05 s');
    assert.equal(duration(start, null), 'running');
    assert.equal(shortSha('0123456789abcdef'), '01234567');
  });

  test('a failed deployment\'s message splits into the error and the container\'s last log lines', () => {
    assert.deepEqual(splitError('web failed verification: unhealthy\nline 1\nline 2\n'), { error: 'web failed verification: unhealthy', logs: 'line 1\nline 2' });
    assert.deepEqual(splitError('nothing was changed'), { error: 'nothing was changed', logs: null });
  });
});
