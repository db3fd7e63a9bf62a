import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { backupDatabase, BackupError, restoreDatabase } from '../../persistence/database-backup.ts';
import { openDatabase } from '../../persistence/database.ts';
import { DataDirLockedError } from '../../persistence/errors.ts';
import { SqliteConnection } from '../../persistence/sqlite-connection.ts';
import { TransitionStore } from '../../persistence/transition-store.ts';
import { tempDir, transition } from './helpers.ts';

// Backups of a live database and restores into a stopped daemon's data directory, on real
// SQLite files.

const holderScript = resolve(import.meta.dirname, '../support/data-dir-lock-holder.ts');

async function fromStates(databasePath: string): Promise<string[]> {
  const db = await openDatabase(databasePath);
  try {
    return (await new TransitionStore(db).listForStack('s', 100_000)).reverse().map((r) => r.from_state);
  } finally {
    await db.close();
  }
}

/** A database with transition s0 in its backup (backup.db beside it) and s0, s1 in itself. */
async function backedUpThenWritten(t: { after(fn: () => Promise<void>): void }): Promise<{ dir: string; path: string }> {
  const dir = await tempDir(t);
  const path = join(dir, 'accelero.db');
  const db = await openDatabase(path);
  await new TransitionStore(db).append(transition('s', 0));
  await backupDatabase(path, join(dir, 'backup.db'));
  await new TransitionStore(db).append(transition('s', 1));
  await db.close();
  return { dir, path };
}

const sha = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

test('a backup taken while transitions are written is a consistent prefix of them and opens migrated', async (t) => {
  const dir = await tempDir(t);
  const db = await openDatabase(join(dir, 'accelero.db'));
  t.after(() => db.close());
  const store = new TransitionStore(db);
  for (let i = 0; i < 100; i++) await store.append(transition('s', i));
  const writing = (async () => { for (let i = 100; i < 400; i++) await store.append(transition('s', i)); })();
  await backupDatabase(db.path, join(dir, 'copy.db'));
  await writing;
  const copied = await fromStates(join(dir, 'copy.db'));
  assert.ok(copied.length >= 100, `${copied.length} transitions`);
  assert.deepEqual(copied, Array.from({ length: copied.length }, (_, i) => `s${i}`));
});

test('a backup onto a file that exists fails naming the database and leaves that file alone', async (t) => {
  const dir = await tempDir(t);
  const db = await openDatabase(join(dir, 'accelero.db'));
  t.after(() => db.close());
  await writeFile(join(dir, 'taken.db'), 'keep me');
  await assert.rejects(backupDatabase(db.path, join(dir, 'taken.db')), (error: Error) => error instanceof BackupError && error.message.includes(db.path));
  assert.equal(await readFile(join(dir, 'taken.db'), 'utf8'), 'keep me');
});

test('a restore puts the backup in place and keeps the database it replaced beside it', async (t) => {
  const { dir, path } = await backedUpThenWritten(t);

  const { keptAs, stacks } = await restoreDatabase(join(dir, 'backup.db'), path);
  assert.equal(stacks, 0);
  assert.deepEqual(await fromStates(path), ['s0']);
  assert.match(keptAs!, /accelero\.db\.before-restore-/);
  assert.deepEqual(await fromStates(keptAs!), ['s0', 's1']);
});

test('a file that is not an SQLite database is refused, naming it, and the database is untouched', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'accelero.db');
  await (await openDatabase(path)).close();
  const before = await sha(path);
  await writeFile(join(dir, 'notes.txt'), 'this is not a database\n'.repeat(100));
  await assert.rejects(restoreDatabase(join(dir, 'notes.txt'), path), (error: Error) => error instanceof BackupError && error.message.includes('notes.txt'));
  assert.equal(await sha(path), before);
});

test("an SQLite file without Accelero's tables is refused as not an Accelero database", async (t) => {
  const dir = await tempDir(t);
  const other = await SqliteConnection.open(join(dir, 'other.db'));
  await other.run('CREATE TABLE things (id INTEGER)');
  await other.close();
  await assert.rejects(restoreDatabase(join(dir, 'other.db'), join(dir, 'accelero.db')), /is not an Accelero database/);
});

test('a restore while a daemon holds the data directory is refused and changes nothing', async (t) => {
  const { dir, path } = await backedUpThenWritten(t);
  const holder = spawn(process.execPath, ['--import', 'tsx', holderScript, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => { holder.kill('SIGKILL'); });
  await new Promise<void>((resolveLocked) => holder.stdout!.on('data', (chunk) => { if (String(chunk).includes('locked')) resolveLocked(); }));
  await assert.rejects(restoreDatabase(join(dir, 'backup.db'), path), (error: Error) => error instanceof DataDirLockedError && error.message.includes(String(holder.pid)));
  holder.kill('SIGKILL');
  assert.deepEqual(await fromStates(path), ['s0', 's1']);
});
