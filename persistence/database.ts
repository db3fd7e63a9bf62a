import { chmod, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../ormconfig.ts';
import { clearAbandonedTransaction } from './abandoned-transaction.ts';
import { DatabaseOpenError } from './errors.ts';
import { describeSqliteFailure, transientSqliteFailure } from './sqlite-failures.ts';
import { WriteQueue, type OutageLogger, type WriteRetryPolicy } from './write-queue.ts';

export interface Database {
  path: string;
  dataSource: DataSource;
  writes: WriteQueue;
  /** For /readyz: 'ok', or one line saying why not ("writes failing: disk full at /data (0 B free)"). */
  health(): Promise<'ok' | string>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Where a write outage is reported: one line when writes start failing, one when they work again. */
  logger?: OutageLogger;
  writeRetry?: Partial<WriteRetryPolicy>;
  /** How long one statement waits for another connection's lock before the attempt counts as failed. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating the directory and file if needed) and migrates the database. Throws a
 * DatabaseOpenError naming the path and the cause; `transient` says whether trying again
 * later may help (disk full, locked, I/O error).
 */
export async function openDatabase(databasePath: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const dataSource = await initialise(databasePath, options);
  const writes = new WriteQueue({
    retry: options.writeRetry,
    logger: options.logger,
    isTransient: (error) => transientSqliteFailure(error) !== undefined,
    describe: (error) => describeSqliteFailure(error, databasePath),
    afterFailedAttempt: () => clearAbandonedTransaction(dataSource),
  });
  return {
    path: databasePath,
    dataSource,
    writes,
    async health() {
      const writing = writes.status();
      if (writing !== 'ok') return writing;
      return dataSource.query('SELECT 1').then(() => 'ok', (error: Error) => `reads failing: ${error.message}`);
    },
    async close() {
      await writes.drain();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

async function initialise(databasePath: string, options: OpenDatabaseOptions): Promise<DataSource> {
  // WAL is switched on here rather than by TypeORM: when its own connect step fails (the -shm
  // file cannot be created on a full disk) TypeORM leaves the sqlite3 handle open, and a
  // daemon that retries opening would leak one handle per try.
  const dataSource = new DataSource({ ...dataSourceOptions(databasePath, { busyTimeoutMs: options.busyTimeoutMs }), enableWAL: false } as never);
  try {
    if (databasePath !== ':memory:') await makePrivate(databasePath);
    await dataSource.initialize();
    if (databasePath !== ':memory:') {
      await dataSource.query('PRAGMA journal_mode = WAL');
      await chmodIfThere(`${databasePath}-wal`, 0o600);
      await chmodIfThere(`${databasePath}-shm`, 0o600);
    }
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw new DatabaseOpenError(databasePath, await describeSqliteFailure(error, databasePath), isTransientOpenFailure(error), error);
  }
}

/**
 * The database holds sealed credentials, key digests and the audit trail: the data directory is
 * 0700 and the database 0600, created so before SQLite opens it (its -wal and -shm files take
 * the database file's mode), and made so again when an older start left them wider.
 */
async function makePrivate(databasePath: string): Promise<void> {
  await mkdir(dirname(databasePath), { recursive: true, mode: 0o700 });
  await chmod(dirname(databasePath), 0o700);
  await (await open(databasePath, 'a', 0o600)).close();
  await chmod(databasePath, 0o600);
}

async function chmodIfThere(path: string, mode: number): Promise<void> {
  await chmod(path, mode).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

function isTransientOpenFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return transientSqliteFailure(error) !== undefined || code === 'ENOSPC' || code === 'EIO';
}
