import pRetry from 'p-retry';
import { openDatabase, type Database, type OpenDatabaseOptions } from './database.ts';
import { DatabaseOpenError } from './errors.ts';
import type { OutageLogger } from './write-queue.ts';

// A daemon whose disk is full (or whose database another process holds) at start waits for
// the database instead of crash-looping: one line when it cannot open, one when it has.

export interface OpenRetry {
  logger: OutageLogger;
  /** Pause between tries; the default suits an operator freeing space. */
  retryEveryMs?: number;
  /** Aborting (shutdown) stops the waiting with the signal's reason. */
  signal?: AbortSignal;
}

/** Opens the database, retrying transient failures until it opens; other failures throw at once. */
export async function openDatabaseWhenPossible(databasePath: string, options: OpenDatabaseOptions, retry: OpenRetry): Promise<Database> {
  const everyMs = retry.retryEveryMs ?? 5_000;
  let firstFailure: number | undefined;
  const db = await pRetry(() => openDatabase(databasePath, options), {
    retries: Number.POSITIVE_INFINITY, factor: 1, minTimeout: everyMs, maxTimeout: everyMs, signal: retry.signal,
    shouldRetry: ({ error }) => error instanceof DatabaseOpenError && error.transient,
    onFailedAttempt: ({ error }) => {
      if (firstFailure !== undefined || !(error instanceof DatabaseOpenError && error.transient)) return;
      firstFailure = Date.now();
      retry.logger.error(`${error.message}; trying again every ${everyMs / 1000} s`);
    },
  });
  if (firstFailure !== undefined) {
    retry.logger.info(`database ${databasePath} opened after ${Math.round((Date.now() - firstFailure) / 1000)} s`);
  }
  return db;
}
