import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AcceleroError } from '../src/errors.ts';
import { DataDirLockedError, type DataDirOwner } from './errors.ts';
import { SqliteConnection } from './sqlite-connection.ts';

// One daemon per data directory. The lock is SQLite's own POSIX file lock on a small lock
// database, held by an open exclusive transaction for the life of the process: the kernel drops it
// when the process dies, kill -9 included, so there is no stale lock to clean up, and it
// works between containers that share the directory. The lock database itself cannot be read
// while it is held, so who holds it is written beside it, in the owner file.

export const LOCK_FILE = 'accelero.lock';
export const OWNER_FILE = 'accelero.lock.owner.json';

export interface DataDirLock {
  lockPath: string;
  owner: DataDirOwner;
  /** Clean shutdown: forgets the owner file and drops the lock. */
  release(): Promise<void>;
}

/** Takes the lock at once or throws DataDirLockedError naming the holder; never waits. */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const lockPath = join(dataDir, LOCK_FILE);
  const ownerPath = join(dataDir, OWNER_FILE);
  const owner: DataDirOwner = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
  await mkdir(dataDir, { recursive: true });
  const connection = await holdLock(lockPath, ownerPath);
  // Only words for a refused daemon's message: the lock holds without it (say, on a full disk).
  await writeOwner(ownerPath, owner).catch(() => undefined);
  let released = false;
  return {
    lockPath,
    owner,
    async release() {
      if (released) return;
      released = true;
      // The owner file goes first, while the lock is still held, so it never removes the
      // owner file of a daemon that took the lock after this one.
      await rm(ownerPath, { force: true });
      await connection.close();
    },
  };
}

async function holdLock(lockPath: string, ownerPath: string): Promise<SqliteConnection> {
  let connection: SqliteConnection | undefined;
  try {
    connection = await SqliteConnection.open(lockPath);
    await connection.run('PRAGMA busy_timeout = 0');
    // An exclusive transaction that is never committed, without a journal: the lock is taken
    // without writing a byte (so on a full disk too) and held until the connection closes.
    await connection.run('PRAGMA journal_mode = OFF');
    await connection.run('BEGIN EXCLUSIVE');
    return connection;
  } catch (error) {
    await connection?.close().catch(() => undefined);
    if (/SQLITE_BUSY|SQLITE_LOCKED/.test(String((error as { code?: unknown }).code))) {
      throw new DataDirLockedError(lockPath, await readOwner(ownerPath));
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new AcceleroError(`cannot lock the data directory with ${lockPath}: ${reason}`, 'data_dir_lock_failed', 500, { cause: error });
  }
}

async function writeOwner(ownerPath: string, owner: DataDirOwner): Promise<void> {
  // Written whole, then renamed: a daemon refused at the same moment reads all of it or none.
  const temporary = `${ownerPath}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(owner)}\n`);
  await rename(temporary, ownerPath);
}

async function readOwner(ownerPath: string): Promise<DataDirOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(ownerPath, 'utf8')) as Partial<DataDirOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string' || typeof parsed.since !== 'string') return undefined;
    return { pid: parsed.pid, hostname: parsed.hostname, since: parsed.since };
  } catch {
    return undefined;
  }
}
