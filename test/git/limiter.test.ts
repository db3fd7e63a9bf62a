import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedLock } from '../../src/keyed-lock.ts';
import { Limiter } from '../../src/git/limiter.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Limiter', () => {
  it('never runs more than its limit at once', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      running -= 1;
    };
    await Promise.all(Array.from({ length: 6 }, () => limiter.run(task)));
    assert.equal(peak, 2);
  });

  it('keeps going after a task fails', async () => {
    const limiter = new Limiter(1);
    await assert.rejects(limiter.run(() => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await limiter.run(async () => 'next'), 'next');
  });
});

describe('KeyedLock', () => {
  it('runs the tasks of one key one after another, in order', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(`start ${name}`);
      await tick();
      order.push(`end ${name}`);
    };
    await Promise.all([lock.run('k', task('a')), lock.run('k', task('b'))]);
    assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b']);
  });

  it('runs the next task of a key after the previous one failed', async () => {
    const lock = new KeyedLock();
    const failed = lock.run('k', () => Promise.reject(new Error('first')));
    const next = lock.run('k', async () => 'second');
    await assert.rejects(failed, /first/);
    assert.equal(await next, 'second');
  });
});
