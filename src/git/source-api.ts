// What callers of the git layer see: options, per-call options, and the source interface.
import type { GitSource, SourceRevision, SourceSpec } from './types.ts';

/** Pino-compatible subset; Accelero passes its pino logger. */
export interface GitLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface GitSourceOptions {
  /** STACKS_DATA_DIR: exports go to `<dataDir>/<stack>/<commit>/`. */
  dataDir: string;
  /** Bare mirrors; default `<dataDir>/.mirrors`. */
  mirrorsDir?: string;
  logger?: GitLogger;
  /** Exports kept per stack for rollback (default 5). */
  keepCommits?: number;
  /** How long one ls-remote answer serves every stack on that repository (default 10 s). */
  lsRemoteTtlMs?: number;
  /** Retries of transient failures (default 3) and the first backoff (default 500 ms). */
  retries?: number;
  retryMinTimeoutMs?: number;
  /**
   * GIT_TIMEOUT: stop an ls-remote or fetch that makes no progress for this long (default
   * 120 s); it fails with GitTimeoutError and is not retried inside the git layer. A slow
   * transfer that still moves is never stopped.
   */
  commandTimeoutMs?: number;
  /** Repack a mirror once this many packs pile up (default 10). */
  maxPacks?: number;
  /** Exports written at the same time across all stacks (default 4). */
  exportConcurrency?: number;
}

export interface ResolveOptions {
  /**
   * Epoch ms: use no ls-remote answer obtained before this instant. A webhook handler passes
   * the time the push arrived; all stacks resolving that push still share one ls-remote.
   */
  refreshAfter?: number;
  /**
   * Commits whose exports must survive pruning although they are older than `keepCommits`:
   * pass the deployed commit, since its directory is bind-mounted by running containers.
   * A function is called only when a new export is recorded (pruning happens then): a cycle
   * whose commit is already exported asks nothing.
   */
  retain?: RetainedCommits;
}

export type RetainedCommits = readonly string[] | (() => Promise<readonly string[]>);

export interface GitSourceStats {
  lsRemotes: number;
  fetches: number;
}

export interface AcceleroGitSource extends GitSource {
  resolve(spec: SourceSpec, options?: ResolveOptions): Promise<SourceRevision>;
  /** Deletes the mirrors of repositories no stack uses any more; returns the removed directories. */
  pruneMirrors(urlsInUse: readonly string[]): Promise<string[]>;
  checkout(spec: SourceSpec, commit: string, options?: Pick<ResolveOptions, 'retain'>): Promise<SourceRevision>;
  stats(): GitSourceStats;
}
