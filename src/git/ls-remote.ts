import type { GitCommandContext } from './run-git.ts';
import { runRemoteGit } from './run-remote-git.ts';

// Change detection: one `git ls-remote --heads --tags` per repository (and credential set)
// answers every stack on that repository, whichever branch or tag it follows.

/** Full ref name (`refs/heads/main`, `refs/tags/v1`, `refs/tags/v1^{}`) → object id. */
export type RemoteRefs = ReadonlyMap<string, string>;

export function parseLsRemote(output: string): RemoteRefs {
  const refs = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [sha, name] = line.trim().split('\t');
    if (sha && name) refs.set(name, sha);
  }
  return refs;
}

/** ls-remote has no progress meter: its answer is small, and its output all comes at the end. */
export async function lsRemote(url: string, ctx: GitCommandContext): Promise<RemoteRefs> {
  return parseLsRemote(await runRemoteGit(['ls-remote', '--heads', '--tags', '--', url], ctx));
}

interface Entry<T> {
  promise: Promise<T>;
  startedAt: number;
  settledAt?: number;
}

export interface TtlCacheOptions {
  ttlMs: number;
  now?: () => number;
}

/**
 * Shares one in-flight promise per key, and keeps its outcome (value or failure) for `ttlMs`
 * after it settles: N stacks asking in one cycle cost one call, and a wrong token is tried
 * once per cycle rather than N times (servers lock accounts out for less).
 */
export class TtlPromiseCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * `notBefore` (epoch ms) refuses an answer whose call started earlier: a webhook stamps
   * the push time, and every stack resolving that push shares one call made after it.
   */
  get(key: string, load: () => Promise<T>, notBefore?: number): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.usable(hit, notBefore)) return hit.promise;
    this.dropExpired();
    const entry: Entry<T> = { promise: load(), startedAt: this.now() };
    const settle = () => {
      if (this.entries.get(key) === entry) entry.settledAt = this.now();
    };
    entry.promise.then(settle, settle);
    this.entries.set(key, entry);
    return entry.promise;
  }

  private usable(entry: Entry<T>, notBefore: number | undefined): boolean {
    if (notBefore !== undefined && entry.startedAt < notBefore) return false;
    return entry.settledAt === undefined || this.now() - entry.settledAt < this.options.ttlMs;
  }

  /** Keeps the map from growing with every credential rotation over months of uptime. */
  private dropExpired(): void {
    if (this.entries.size < 256) return;
    for (const [key, entry] of this.entries) {
      if (entry.settledAt !== undefined && this.now() - entry.settledAt >= this.options.ttlMs) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
