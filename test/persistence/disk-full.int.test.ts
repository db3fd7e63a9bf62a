import assert from 'node:assert/strict';
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase, type Database } from '../../persistence/database.ts';
import { openDatabaseWhenPossible } from '../../persistence/database-opener.ts';
import { DatabaseOpenError, DatabaseWriteError } from '../../persistence/errors.ts';
import { SnapshotStore } from '../../persistence/snapshot-store.ts';
import { SqliteConnection } from '../../persistence/sqlite-connection.ts';
import { TransitionStore } from '../../persistence/transition-store.ts';
import { eventually } from '../support/daemon.ts';
import { mountSmallDisk } from '../support/small-disk.ts';
import { recordingLogger, snapshot, testSealer, transition } from './helpers.ts';

// A database on a real 8 MiB tmpfs that is filled to the last byte: SQLite fails with
// SQLITE_FULL (or an I/O error for the -shm file) exactly as on a full production disk.

const quickRetry = { budgetMs: 120_000, minDelayMs: 20, maxDelayMs: 200 };

async function seeded(db: Database, count: number) {
  const transitions = new TransitionStore(db);
  for (let i = 0; i < count; i += 1) await transitions.append(transition('s', i));
  await new SnapshotStore(db, testSealer).save('s', 'd1', [snapshot('web', 'web-1', 'c1')]);
  return transitions;
}

async function integrity(db: Database): Promise<string> {
  const [row] = await db.dataSource.query('PRAGMA integrity_check');
  return row.integrity_check;
}

function watchUnhandledRejections(t: { after(fn: () => void): void }) {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  t.after(() => process.removeListener('unhandledRejection', listener));
  return seen;
}

test('on a full disk writes are reported once and retried; freed, the pending write lands and nothing is lost', async (t) => {
  const rejections = watchUnhandledRejections(t);
  const disk = await mountSmallDisk(t);
  const logger = recordingLogger();
  const db = await openDatabase(join(disk.path, 'accelero.db'), { logger, writeRetry: quickRetry });
  t.after(() => db.close());
  const transitions = await seeded(db, 200);

  await disk.fill();
  let attempts = 0;
  const pending = db.writes.run(async () => {
    attempts += 1;
    await db.dataSource.getRepository('Transition').insert(transition('s', 200));
  });
  const queuedBehind = new SnapshotStore(db, testSealer).save('s', 'd2', [snapshot('web', 'web-2', 'c2')]);
  await eventually(async () => attempts >= 3, 'the write to be retried');
  assert.match(db.writes.status(), /^writes failing: disk full at \S+ \(\d+ B free\)$/);
  assert.match(await db.health(), /^writes failing: disk full at /);
  assert.equal(logger.lines.filter((l) => l.level === 'error').length, 1, JSON.stringify(logger.lines));
  assert.match(logger.lines[0]!.message, new RegExp(`^database writes failing: disk full at ${disk.path}`));
  assert.equal(await integrity(db), 'ok');
  assert.equal((await transitions.listForStack('s', 1000)).length, 200);

  await disk.free();
  await pending;
  await queuedBehind;
  assert.equal(await db.health(), 'ok');
  assert.deepEqual(logger.lines.map((l) => l.level), ['error', 'info']);
  await transitions.append(transition('s', 201));
  const stored = (await transitions.listForStack('s', 1000)).reverse();
  assert.deepEqual(stored.map((r) => r.from_state), Array.from({ length: 202 }, (_, i) => `s${i}`));
  assert.equal((await new SnapshotStore(db, testSealer).load('d2')).length, 1);
  assert.equal(await integrity(db), 'ok');
  assert.deepEqual(rejections, []);
});

test('a write that outlasts its budget on a full disk fails with the cause; later writes work once space is back', async (t) => {
  const disk = await mountSmallDisk(t);
  const db = await openDatabase(join(disk.path, 'accelero.db'), { writeRetry: { budgetMs: 1_000, minDelayMs: 20, maxDelayMs: 100 } });
  t.after(() => db.close());
  const transitions = await seeded(db, 50);
  await disk.fill();
  await assert.rejects(transitions.append(transition('s', 50)), (error) => {
    assert.ok(error instanceof DatabaseWriteError, String(error));
    assert.match(error.message, new RegExp(`^database write failed \\(retried for \\d+ s\\): disk full at ${disk.path}`));
    return true;
  });
  await disk.free();
  await transitions.append(transition('s', 51));
  assert.deepEqual((await transitions.listForStack('s', 2)).map((r) => r.from_state), ['s51', 's49']);
});

test('after a transaction fails on a full disk, later writes are committed where another connection sees them', async (t) => {
  const disk = await mountSmallDisk(t);
  const path = join(disk.path, 'accelero.db');
  const db = await openDatabase(path, { writeRetry: { budgetMs: 500, minDelayMs: 20, maxDelayMs: 100 } });
  t.after(() => db.close());
  const transitions = await seeded(db, 20);
  const snapshots = new SnapshotStore(db, testSealer);
  await disk.fill();
  // SQLite rolls this transaction back by itself; TypeORM's own ROLLBACK then fails.
  await assert.rejects(snapshots.save('s', 'd2', [snapshot('web', 'w', 'c3', { pad: 'x'.repeat(50_000) })]), DatabaseWriteError);
  await disk.free();
  // A transaction that fails on a constraint: TypeORM rolls it back (to a savepoint, were it confused).
  const duplicate = { id: 1, deployment_id: 'd1', stack_id: 's', service: 'web', container_name: 'w', container_id: null, snapshot: {}, created_at: 'now' };
  await assert.rejects(db.writes.run(() => db.dataSource.transaction((m) => m.getRepository('ServiceSnapshot').insert(duplicate))), /UNIQUE|constraint/);
  await transitions.append(transition('s', 20));
  const other = await SqliteConnection.open(path);
  t.after(() => other.close());
  const rows = await other.all<{ n: number }>("SELECT COUNT(*) AS n FROM transitions WHERE from_state = 's20'");
  assert.equal(rows[0]!.n, 1);
});

test('opening a database on a full disk fails with a typed error naming the path and the cause, and holds no file open', async (t) => {
  const disk = await mountSmallDisk(t);
  const existing = join(disk.path, 'accelero.db');
  const db = await openDatabase(existing);
  await seeded(db, 10);
  await db.close();
  await disk.fill();

  for (const path of [existing, join(disk.path, 'fresh.db')]) {
    await assert.rejects(openDatabase(path), (error) => {
      assert.ok(error instanceof DatabaseOpenError, String(error));
      assert.equal(error.path, path);
      assert.equal(error.transient, true);
      assert.match(error.message, new RegExp(`^cannot open the database ${path}: disk full at ${disk.path} \\(\\d+ B free\\)$`));
      return true;
    });
  }
  assert.deepEqual(await openFilesUnder(disk.path), []);

  await disk.free();
  const reopened = await openDatabase(existing);
  t.after(() => reopened.close());
  assert.equal((await new TransitionStore(reopened).listForStack('s', 100)).length, 10);
  assert.equal(await integrity(reopened), 'ok');
  const fresh = await openDatabase(join(disk.path, 'fresh.db'));
  await new TransitionStore(fresh).append(transition('s', 0));
  await fresh.close();
});

test('a daemon starting on a full disk waits for space, says so once, and opens the database when there is room', async (t) => {
  const disk = await mountSmallDisk(t);
  const path = join(disk.path, 'accelero.db');
  await disk.fill();
  const logger = recordingLogger();
  let opened = false;
  const opening = openDatabaseWhenPossible(path, {}, { logger, retryEveryMs: 50 }).then((db) => { opened = true; return db; });
  await eventually(async () => logger.lines.length > 0, 'the failure to be reported');
  assert.equal(opened, false);
  await disk.free();
  const db = await opening;
  t.after(() => db.close());
  await new TransitionStore(db).append(transition('s', 0));
  assert.deepEqual(logger.lines.map((l) => l.level), ['error', 'info']);
  assert.match(logger.lines[0]!.message, new RegExp(`^cannot open the database ${path}: disk full at ${disk.path} .*; trying again every 0.05 s$`));
});

test('waiting for the database stops at shutdown, and a failure retrying cannot mend is thrown at once', async (t) => {
  const disk = await mountSmallDisk(t);
  await disk.fill();
  const controller = new AbortController();
  const waiting = openDatabaseWhenPossible(join(disk.path, 'accelero.db'), {}, { logger: recordingLogger(), retryEveryMs: 50, signal: controller.signal });
  controller.abort(new Error('shutting down'));
  await assert.rejects(waiting, /shutting down/);
  await disk.free();
  // A directory where the database file should be: no amount of waiting opens it.
  const logger = recordingLogger();
  await assert.rejects(openDatabaseWhenPossible(disk.path, {}, { logger, retryEveryMs: 50 }), (error) => {
    assert.ok(error instanceof DatabaseOpenError && !error.transient, String(error));
    assert.match(error.message, new RegExp(`^cannot open the database ${disk.path}: `));
    return true;
  });
  assert.deepEqual(logger.lines, []);
});

async function openFilesUnder(dir: string): Promise<string[]> {
  const targets = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith(`${dir}/`));
}
