import { createHash } from 'node:crypto';
import { access, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArchiveCache } from './archive-cache.ts';
import { runGit, type GitCommandContext } from './run-git.ts';
import { runRemoteGit } from './run-remote-git.ts';

// One bare mirror per repository URL, shared by every stack on it. The mirror has no
// remote configured: the (credential-free) URL is given on each fetch, so nothing about
// the server or its credentials is ever stored in the mirror's config.

export interface MirrorOptions {
  mirrorsDir: string;
  /** Repack once this many packs pile up (git's gc.autoPackLimit). */
  maxPacks: number;
  /** Told when a broken mirror is deleted and created again (it is only a cache). */
  onRecreate?: (reason: string) => void;
}

const FETCH_ALL = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

/** Directory name: readable host/path plus a hash of the full URL, so two URLs never share one. */
export function mirrorName(url: string): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const readable = url
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(-60);
  return `${readable || 'repo'}-${hash}.git`;
}

export class Mirror {
  readonly dir: string;
  readonly archives: ArchiveCache;
  private ready?: Promise<void>;
  private fetching?: Promise<void>;
  /** Number of fetches actually run against the server (for logs and tests). */
  fetchCount = 0;
  /** Commits seen in the mirror: objects do not vanish while reachable, so ask git once. */
  private readonly knownCommits = new Set<string>();
  /** Stacks on one repository move between the same two commits: diff each pair once. */
  private readonly diffs = new Map<string, Promise<string[]>>();

  constructor(readonly url: string, private readonly options: MirrorOptions) {
    this.dir = join(options.mirrorsDir, mirrorName(url));
    this.archives = new ArchiveCache(this.dir, join(this.dir, 'accelero-archives'));
  }

  /** Local commands get run-git's own guard; GIT_TIMEOUT (in `extra`) is for the server. */
  private local(extra: Partial<GitCommandContext> = {}): GitCommandContext {
    return { ...extra, cwd: this.dir };
  }

  /** Creates the bare repository once; re-applies its settings on every start (idempotent). */
  ensure(): Promise<void> {
    this.ready ??= this.init().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Opens the mirror; one that git cannot read any more is deleted and created again. */
  private async init(): Promise<void> {
    try {
      await this.open();
    } catch (error) {
      this.options.onRecreate?.((error as Error).message);
      await this.wipe();
      await this.open();
    }
  }

  /** For a fetch that failed in a way only a damaged mirror explains: start from empty. */
  recreate(reason: string): Promise<void> {
    this.options.onRecreate?.(reason);
    this.ready = this.wipe().then(() => this.open());
    return this.ensure();
  }

  private async wipe(): Promise<void> {
    this.knownCommits.clear();
    this.diffs.clear();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const exists = await access(join(this.dir, 'HEAD')).then(() => true, () => false);
    if (!exists) await runGit(['init', '--bare', '--quiet'], this.local());
    else await this.removeStaleLocks();
    // Every fetch keeps its pack (no loose objects), and `gc --auto` folds packs together
    // once they pile up: the mirror stays compact without a full repack per fetch. Keeping
    // packs also means index-pack receives them, and its progress meter (bytes received,
    // once a second) is what tells the GIT_TIMEOUT watchdog that a slow fetch still moves.
    for (const [key, value] of [
      ['fetch.unpackLimit', '1'],
      ['gc.autoPackLimit', String(this.options.maxPacks)],
      ['gc.autoDetach', 'false'],
      ['core.logAllRefUpdates', 'false'],
    ]) {
      await runGit(['config', key, value], this.local());
    }
    await writeFile(join(this.dir, 'description'), `Accelero mirror of ${this.url}\n`);
    await this.archives.reset();
  }

  /**
   * A git killed mid-fetch (OOM, power loss, kill -9 of the daemon) leaves `*.lock` files
   * that make every later fetch fail. Only this process uses the mirror and it has not run
   * a command in it yet, so any lock found now is stale.
   */
  private async removeStaleLocks(): Promise<void> {
    const entries = await readdir(this.dir, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.lock')) continue;
      await rm(join(entry.parentPath ?? entry.path, entry.name), { force: true });
    }
  }

  async hasCommit(commit: string): Promise<boolean> {
    if (this.knownCommits.has(commit)) return true;
    await this.ensure();
    try {
      await runGit(['cat-file', '-e', `${commit}^{commit}`], this.local());
      this.remember(this.knownCommits, commit, true);
      return true;
    } catch {
      return false;
    }
  }

  /** Bounded memo: drops the oldest entries so a long-running daemon does not grow. */
  private remember<K, V>(memo: Set<K> | Map<K, V>, key: K, value: V): void {
    if (memo.size >= 256) memo.delete(memo.keys().next().value as K);
    if (memo instanceof Map) memo.set(key, value);
    else memo.add(key);
  }

  /**
   * Fetches all branches and tags (or the given refspecs). Callers that arrive while a fetch
   * runs join it rather than starting their own: that keeps N stacks on one repository at
   * one fetch. Resolves to true when this call started the fetch, false when it joined one.
   */
  async fetch(auth: Partial<GitCommandContext>, refspecs: readonly string[] = FETCH_ALL): Promise<boolean> {
    if (this.fetching) {
      await this.fetching;
      return false;
    }
    this.fetching = this.runFetch(auth, refspecs).finally(() => {
      this.fetching = undefined;
    });
    await this.fetching;
    return true;
  }

  /** Fetches one commit by id (a pin that no branch or tag contains), kept under refs/accelero/. */
  fetchCommit(auth: Partial<GitCommandContext>, commit: string): Promise<boolean> {
    return this.fetch(auth, [`+${commit}:refs/accelero/pinned/${commit}`]);
  }

  private async runFetch(auth: Partial<GitCommandContext>, refspecs: readonly string[]): Promise<void> {
    await this.ensure();
    this.fetchCount += 1;
    // Pruning only makes sense for the whole-namespace refspecs; a single pinned sha has none.
    const prune = refspecs === FETCH_ALL ? ['--prune'] : [];
    // --progress even though stderr is no terminal: the watchdog measures progress by output.
    await runRemoteGit(['fetch', '--progress', ...prune, '--no-tags', '--no-auto-gc', '--', this.url, ...refspecs], this.local(auth));
    await this.compact();
  }

  /**
   * Fetches keep their packs (no loose objects), so the pack count is what grows; counting
   * them here spares a `git gc --auto` process on every fetch that has nothing to fold.
   */
  private async compact(): Promise<void> {
    const packs = (await readdir(join(this.dir, 'objects', 'pack')).catch(() => [])).filter((f) => f.endsWith('.pack'));
    if (packs.length > this.options.maxPacks) await runGit(['gc', '--auto', '--quiet'], this.local());
  }

  /** Files changed between two commits (both must be in the mirror). */
  changedPaths(from: string, to: string): Promise<string[]> {
    const key = `${from}..${to}`;
    let diff = this.diffs.get(key);
    if (!diff) {
      diff = runGit(['diff', '--name-only', '--no-renames', '-z', from, to, '--'], this.local()).then((out) =>
        out.split('\0').filter((p) => p.length > 0),
      );
      diff.catch(() => this.diffs.delete(key));
      this.remember(this.diffs, key, diff);
    }
    return diff.then((paths) => [...paths]);
  }
}
