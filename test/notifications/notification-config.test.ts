import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { ValidationError } from '../../src/errors.ts';

// The notification settings as the daemon reads them from the environment.

test('notifications retry after 1 s, 5 s, 30 s and 2 min, each attempt bounded by 10 s, by default', () => {
  assert.deepEqual(loadConfig({}, '/srv').notifications, { retryDelaysMs: [1_000, 5_000, 30_000, 120_000], timeoutMs: 10_000 });
});

test('NOTIFICATION_RETRY_DELAYS and NOTIFICATION_TIMEOUT are read as durations', () => {
  const config = loadConfig({ NOTIFICATION_RETRY_DELAYS: '250ms, 2s,1m', NOTIFICATION_TIMEOUT: '3s' }, '/srv');
  assert.deepEqual(config.notifications, { retryDelaysMs: [250, 2_000, 60_000], timeoutMs: 3_000 });
});

test('a bad notification setting stops the start naming the variable', () => {
  for (const [name, value] of [['NOTIFICATION_RETRY_DELAYS', '1s,soon'], ['NOTIFICATION_RETRY_DELAYS', '1s,,2s'], ['NOTIFICATION_TIMEOUT', '0s']]) {
    assert.throws(() => loadConfig({ [name!]: value }, '/srv'), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.field, name);
      assert.match(error.message, new RegExp(`^${name}=`));
      return true;
    });
  }
});
