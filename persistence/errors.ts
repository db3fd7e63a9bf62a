import { AcceleroError } from '../src/errors.ts';

// Failures of the database and the data directory, typed so the daemon can tell "try again"
// (disk full, locked) from "fix the configuration", and worded with the path and the cause.

/** The database could not be opened or migrated; `transient` says whether retrying may help. */
export class DatabaseOpenError extends AcceleroError {
  readonly path: string;
  readonly reason: string;
  readonly transient: boolean;
  constructor(path: string, reason: string, transient: boolean, cause: unknown) {
    super(`cannot open the database ${path}: ${reason}`, 'database_unavailable', 503, { cause });
    this.path = path;
    this.reason = reason;
    this.transient = transient;
  }
}

/** A write kept failing for a transient reason until its retry budget ran out. */
export class DatabaseWriteError extends AcceleroError {
  readonly reason: string;
  constructor(reason: string, retriedMs: number, cause: unknown) {
    super(`database write failed (retried for ${Math.round(retriedMs / 1000)} s): ${reason}`, 'database_unavailable', 503, { cause });
    this.reason = reason;
  }
}

export interface DataDirOwner {
  pid: number;
  hostname: string;
  since: string;
}

/** Another process holds the data directory: two daemons would corrupt each other's stacks. */
export class DataDirLockedError extends AcceleroError {
  readonly lockPath: string;
  readonly owner?: DataDirOwner;
  constructor(lockPath: string, owner: DataDirOwner | undefined) {
    const who = owner ? `process ${owner.pid} on ${owner.hostname} since ${owner.since}` : 'another process (its owner file is missing or unreadable)';
    super(`the data directory is in use: ${lockPath} is locked by ${who}; stop that daemon or give this one another data directory`, 'data_dir_locked', 409);
    this.lockPath = lockPath;
    this.owner = owner;
  }
}
