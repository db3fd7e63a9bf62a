import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase, type OpenDatabaseOptions } from '../../persistence/database.ts';
import { SqliteConnection } from '../../persistence/sqlite-connection.ts';
import { TransitionStore } from '../../persistence/transition-store.ts';
import { eventually } from '../support/daemon.ts';
import { recordingLogger, tempDir, transition } from './helpers.ts';

// Another connection (a backup, an sqlite3 shell) holds the write lock longer than the busy
// timeout: the write fails with SQLITE_BUSY, is retried, and lands once the lock is released.

/** A database with one transition, and a second connection holding its write lock. */
async function lockedByAnother(t: { after(fn: () => Promise<void>): void }, options: OpenDatabaseOptions) {
  const path = join(await tempDir(t), 'accelero.db');
  const db = await openDatabase(path, { busyTimeoutMs: 100, ...options });
  t.after(() => db.close());
  const transitions = new TransitionStore(db);
  await transitions.append(transition('s', 0));
  const other = await SqliteConnection.open(path);
  t.after(() => other.close());
  await other.run('BEGIN EXCLUSIVE');
  return { path, db, transitions, other };
}

test('a write blocked by another connection past the busy timeout is retried and lands when the lock goes', async (t) => {
  const logger = recordingLogger();
  const { path, db, transitions, other } = await lockedByAnother(t, { logger, writeRetry: { budgetMs: 120_000, minDelayMs: 20, maxDelayMs: 200 } });
  let attempts = 0;
  const pending = db.writes.run(async () => {
    attempts += 1;
    await db.dataSource.getRepository('Transition').insert(transition('s', 1));
  });
  const behind = transitions.append(transition('s', 2));
  await eventually(async () => attempts >= 3, 'the blocked write to be retried');
  assert.equal(db.writes.status(), `writes failing: database locked by another connection at ${path}`);
  assert.equal(logger.lines.length, 1, JSON.stringify(logger.lines));
  assert.match(logger.lines[0]!.message, /^database writes failing: database locked by another connection at /);

  await other.run('COMMIT');
  await pending;
  await behind;
  assert.equal(db.writes.status(), 'ok');
  assert.deepEqual(logger.lines.map((l) => l.level), ['error', 'info']);
  assert.deepEqual((await transitions.listForStack('s')).map((r) => r.from_state), ['s2', 's1', 's0']);
});

test('reads go on while another connection holds the write lock', async (t) => {
  const { transitions } = await lockedByAnother(t, {});
  assert.equal((await transitions.listForStack('s')).length, 1);
});
