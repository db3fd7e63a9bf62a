import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

// Which SQLite failures are worth retrying, and how to say what went wrong in words an
// operator acts on ("disk full at /data"). node-sqlite3 reports primary result codes only
// (an SQLITE_IOERR_SHMSIZE is a plain SQLITE_IOERR), so a full disk behind an I/O error is
// recognised by asking the file system how much space is left.

export type SqliteFailureKind = 'locked' | 'full' | 'io';

/** Below this much free space an I/O error is taken to be the disk running full. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** The transient kind of a failure, or undefined when retrying cannot help (SQL, constraints). */
export function transientSqliteFailure(error: unknown): SqliteFailureKind | undefined {
  const text = failureText(error);
  if (/SQLITE_(BUSY|LOCKED)|database (table )?is locked/i.test(text)) return 'locked';
  if (/SQLITE_FULL|database or disk is full/i.test(text)) return 'full';
  if (/SQLITE_IOERR|disk I\/O error/i.test(text)) return 'io';
  return undefined;
}

/** One line naming the cause and the place, e.g. "disk full at /data (12 KiB free)". */
export async function describeSqliteFailure(error: unknown, databasePath: string): Promise<string> {
  const kind = transientSqliteFailure(error);
  const dir = dirname(databasePath);
  if (kind === 'locked') return `database locked by another connection at ${databasePath}`;
  const free = await freeBytes(dir);
  if (kind === 'full' || (kind === 'io' && free !== undefined && free < NEARLY_FULL_BYTES)) {
    return `disk full at ${dir}${free === undefined ? '' : ` (${formatBytes(free)} free)`}`;
  }
  if (kind === 'io') return `I/O error at ${databasePath}: ${firstLine(error)}`;
  return firstLine(error);
}

function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, driverError } = error as Error & { code?: unknown; driverError?: { code?: unknown; message?: unknown } };
  return [code, driverError?.code, driverError?.message, error.message].filter((part) => typeof part === 'string').join(' ');
}

async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.floor(bytes / 1024)} KiB`;
  return `${Math.floor(bytes / (1024 * 1024))} MiB`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
