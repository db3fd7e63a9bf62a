import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatabaseWriteError } from '../../persistence/errors.ts';
import { WriteQueue, type WriteQueueOptions } from '../../persistence/write-queue.ts';
import { recordingLogger } from './helpers.ts';

// The queue's retry rules with fake writes; real disk-full and lock failures are in
// disk-full.int.test.ts and database-locked.test.ts.

class Transient extends Error {}

function queue(extra: Partial<WriteQueueOptions> = {}) {
  const logger = recordingLogger();
  const writes = new WriteQueue({
    retry: { budgetMs: 10_000, minDelayMs: 1, maxDelayMs: 5 },
    logger,
    isTransient: (error) => error instanceof Transient,
    describe: (error) => `cause: ${(error as Error).message}`,
    ...extra,
  });
  return { writes, logger };
}

/** A write that fails transiently `failures` times, then returns `value`. */
function flaky<T>(failures: number, value: T) {
  const write = async () => {
    write.attempts += 1;
    if (write.attempts <= failures) throw new Transient('disk full at /data');
    return value;
  };
  write.attempts = 0;
  return write;
}

test('a transiently failing write is retried until it succeeds', async () => {
  const { writes } = queue();
  const write = flaky(3, 'stored');
  assert.equal(await writes.run(write), 'stored');
  assert.equal(write.attempts, 4);
  assert.equal(writes.status(), 'ok');
});

test('a non-transient failure rejects at once with its own error', async () => {
  const { writes, logger } = queue();
  let attempts = 0;
  const constraint = new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: stacks.name');
  await assert.rejects(writes.run(async () => { attempts += 1; throw constraint; }), (error) => error === constraint);
  assert.equal(attempts, 1);
  assert.equal(writes.status(), 'ok');
  assert.deepEqual(logger.lines, []);
});

test('an outage is reported once when writes start failing and once when they work again', async () => {
  const { writes, logger } = queue();
  await writes.run(flaky(5, 1));
  await writes.run(flaky(2, 2));
  assert.deepEqual(logger.lines.map((l) => l.level), ['error', 'info', 'error', 'info']);
  assert.match(logger.lines[0]!.message, /^database writes failing: cause: disk full at \/data; retrying/);
  assert.match(logger.lines[1]!.message, /^database writes work again after \d+ s \(cause: disk full at \/data\)$/);
});

test('status names the cause while a write is being retried', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let failing = true;
  const { writes } = queue({ afterFailedAttempt: async () => { if (writes.status() !== 'ok') release(); } });
  const pending = writes.run(async () => {
    if (failing) throw new Transient('database locked');
    return 'done';
  });
  await gate;
  assert.equal(writes.status(), 'writes failing: cause: database locked');
  failing = false;
  assert.equal(await pending, 'done');
  assert.equal(writes.status(), 'ok');
});

test('writes queued behind a retried write run after it, in the order they were queued', async () => {
  const { writes } = queue();
  const order: string[] = [];
  const first = flaky(4, 'first');
  const results = await Promise.all([
    writes.run(async () => { const v = await first(); order.push(v); return v; }),
    writes.run(async () => { order.push('second'); return 'second'; }),
    writes.run(async () => { order.push('third'); return 'third'; }),
  ]);
  assert.deepEqual(results, ['first', 'second', 'third']);
  assert.deepEqual(order, ['first', 'second', 'third']);
});

test('a write that fails past its budget rejects with a DatabaseWriteError naming the cause; the next write still runs', async () => {
  const { writes, logger } = queue({ retry: { budgetMs: 200, minDelayMs: 10, maxDelayMs: 50 } });
  const hopeless = flaky(Number.POSITIVE_INFINITY, 'never');
  const doomed = writes.run(hopeless);
  const after = writes.run(async () => 'after');
  await assert.rejects(doomed, (error) => {
    assert.ok(error instanceof DatabaseWriteError);
    assert.match(error.message, /^database write failed \(retried for \d+ s\): cause: disk full at \/data$/);
    assert.ok(error.cause instanceof Transient);
    return true;
  });
  assert.ok(hopeless.attempts > 1, `attempts: ${hopeless.attempts}`);
  assert.equal(await after, 'after');
  assert.deepEqual(logger.lines.map((l) => l.level), ['error', 'info']);
});

test('a write that waited out its budget behind an outage is tried once, not retried again', async () => {
  const { writes } = queue({ retry: { budgetMs: 150, minDelayMs: 10, maxDelayMs: 20 } });
  const first = flaky(Number.POSITIVE_INFINITY, 'never');
  const second = flaky(Number.POSITIVE_INFINITY, 'never');
  const results = await Promise.allSettled([writes.run(first), writes.run(second)]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.ok(first.attempts > 1);
  assert.equal(second.attempts, 1);
});

test('afterFailedAttempt runs after every failed attempt, transient or not', async () => {
  let cleanups = 0;
  const { writes } = queue({ afterFailedAttempt: async () => { cleanups += 1; } });
  await writes.run(flaky(2, 'ok'));
  await assert.rejects(writes.run(async () => { throw new Error('syntax error'); }));
  assert.equal(cleanups, 3);
});

test('drain waits for writes that are still being retried', async () => {
  const { writes } = queue({ retry: { budgetMs: 10_000, minDelayMs: 20, maxDelayMs: 20 } });
  const write = flaky(3, 'late');
  const pending = writes.run(write);
  await writes.drain();
  assert.equal(write.attempts, 4);
  assert.equal(await pending, 'late');
});
