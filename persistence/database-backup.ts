import { randomUUID } from 'node:crypto';
import { copyFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AcceleroError } from '../src/errors.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import { SqliteConnection } from './sqlite-connection.ts';

// Online backup and offline restore of the database.
//
// A backup is `VACUUM INTO` on a connection of its own: one read transaction, so the copy is a
// consistent snapshot even while deploys write (WAL lets them go on meanwhile), and never the
// daemon's shared TypeORM connection, which may be inside a transaction (VACUUM cannot run in one).
// A restore needs the daemon stopped (it takes the data-directory lock) and keeps the database
// it replaces beside it: nothing is lost if the wrong file was restored.

export class BackupError extends AcceleroError {
  constructor(message: string, readonly file?: string) {
    super(message, 'backup_failed', 500);
  }
}

/** Writes a consistent copy of the live database at `databasePath` to `targetPath` (which must not exist). */
export async function backupDatabase(databasePath: string, targetPath: string): Promise<void> {
  if (await exists(targetPath)) {
    throw new BackupError(`backup of ${databasePath} not written: ${targetPath} exists`, databasePath);
  }
  const connection = await SqliteConnection.open(databasePath);
  try {
    await connection.run('PRAGMA busy_timeout = 5000');
    await connection.run('VACUUM INTO ?', [targetPath]);
  } catch (error) {
    await rm(targetPath, { force: true });
    throw new BackupError(`backup of ${databasePath} failed: ${(error as Error).message}`, databasePath);
  } finally {
    await connection.close();
  }
}

/** Backups for the API: each a new file beside the database (its private directory), for the caller to remove. */
export function databaseBackups(databasePath: string): { backup(): Promise<string> } {
  return {
    async backup() {
      const path = join(dirname(databasePath), `.backup-${randomUUID()}.db`);
      await backupDatabase(databasePath, path);
      return path;
    },
  };
}

/** What a file must be to be restored: an SQLite database that passes its integrity check and holds Accelero's migrations. */
export async function checkBackup(file: string): Promise<{ migrations: number; stacks: number }> {
  await stat(file).catch(() => { throw new BackupError(`${file}: no such file`, file); });
  let connection: SqliteConnection;
  try {
    connection = await SqliteConnection.open(file);
  } catch (error) {
    throw new BackupError(`${file} cannot be opened as an SQLite database: ${(error as Error).message}`, file);
  }
  try {
    const [integrity] = await connection.all<{ integrity_check: string }>('PRAGMA integrity_check');
    if (integrity?.integrity_check !== 'ok') throw new BackupError(`${file} fails SQLite's integrity check: ${integrity?.integrity_check}`, file);
    const tables = await connection.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('migrations', 'stacks')");
    if (tables.length < 2) throw new BackupError(`${file} is not an Accelero database (it has no migrations and stacks tables)`, file);
    const [migrations] = await connection.all<{ n: number }>('SELECT count(*) AS n FROM migrations');
    const [stacks] = await connection.all<{ n: number }>('SELECT count(*) AS n FROM stacks');
    return { migrations: migrations!.n, stacks: stacks!.n };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a readable SQLite database: ${(error as Error).message}`, file);
  } finally {
    await connection.close();
  }
}

/**
 * Puts `file` in place of the database at `databasePath` while no daemon runs there. The
 * replaced database is renamed `<name>.before-restore-<time>` (returned); the daemon migrates
 * an older backup forward when it starts.
 */
export async function restoreDatabase(file: string, databasePath: string, now = new Date()): Promise<{ keptAs: string | null; stacks: number }> {
  const { stacks } = await checkBackup(file);
  const lock = await acquireDataDirLock(dirname(databasePath));
  try {
    const staging = `${databasePath}.restoring`;
    await copyFile(file, staging);
    const keptAs = await keepCurrent(databasePath, now);
    // The WAL and shared-memory files belong to the database that was kept aside.
    await rm(`${databasePath}-wal`, { force: true });
    await rm(`${databasePath}-shm`, { force: true });
    await rename(staging, databasePath);
    return { keptAs, stacks };
  } finally {
    await lock.release();
  }
}

async function keepCurrent(databasePath: string, now: Date): Promise<string | null> {
  if (!(await exists(databasePath))) return null;
  const keptAs = join(dirname(databasePath), `${basename(databasePath)}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`);
  // A consistent copy of the old database, WAL included, rather than a rename of a file whose
  // last writes may still sit in its -wal file.
  await backupDatabase(databasePath, keptAs);
  await rm(databasePath);
  return keptAs;
}

const exists = (path: string) => stat(path).then(() => true, () => false);
