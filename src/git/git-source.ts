import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errorMessage } from '../errors.ts';
import { describe, isMirrorDamage, type ErrorContext } from './classify-error.ts';
import { prepareAuth, secretsOf, type GitAuth } from './credentials.ts';
import { ComposeFileNotFoundError, GitCommandError, GitRefNotFoundError } from './errors.ts';
import { exportCommit, isDirectory, readExportState, recordExport } from './export.ts';
import { KeyedLock } from '../keyed-lock.ts';
import { Limiter } from './limiter.ts';
import { lsRemote, TtlPromiseCache, type RemoteRefs } from './ls-remote.ts';
import { Mirror, mirrorName } from './mirror.ts';
import { redactUrl } from './redact.ts';
import type { GitCommandContext } from './run-git.ts';
import { resolveInside } from './path-safety.ts';
import { commitFor, isFullSha, refTarget, type RefTarget } from './ref-target.ts';
import { withGitRetry, type RetryPolicy } from './retry.ts';
import { checkStackName, normaliseSource, type NormalisedSource } from './source-spec.ts';
import type { SourceRevision, SourceSpec } from './types.ts';
import type { AcceleroGitSource, GitLogger, GitSourceOptions, GitSourceStats, ResolveOptions, RetainedCommits } from './source-api.ts';

const SILENT: GitLogger = { debug() {}, info() {}, warn() {} };

interface Job {
  spec: SourceSpec;
  source: NormalisedSource;
  target: RefTarget;
  ctx: ErrorContext;
  mirror: Mirror;
}

export class MirroredGitSource implements AcceleroGitSource {
  private readonly dataDir: string;
  private readonly mirrorsDir: string;
  private readonly log: GitLogger;
  private readonly keepCommits: number;
  private readonly policy: RetryPolicy;
  private readonly refsCache: TtlPromiseCache<RemoteRefs>;
  private readonly mirrors = new Map<string, Mirror>();
  private readonly stackLock = new KeyedLock();
  private readonly exportLimit: Limiter;
  private lsRemoteCount = 0;

  constructor(private readonly options: GitSourceOptions) {
    this.dataDir = resolve(options.dataDir);
    this.mirrorsDir = resolve(options.mirrorsDir ?? join(this.dataDir, '.mirrors'));
    this.log = options.logger ?? SILENT;
    this.keepCommits = options.keepCommits ?? 5;
    this.policy = { retries: options.retries ?? 3, minTimeoutMs: options.retryMinTimeoutMs ?? 500 };
    this.refsCache = new TtlPromiseCache({ ttlMs: options.lsRemoteTtlMs ?? 10_000 });
    this.exportLimit = new Limiter(options.exportConcurrency ?? 4);
  }

  stats(): GitSourceStats {
    let fetches = 0;
    for (const mirror of this.mirrors.values()) fetches += mirror.fetchCount;
    return { lsRemotes: this.lsRemoteCount, fetches };
  }

  async resolve(spec: SourceSpec, options: ResolveOptions = {}): Promise<SourceRevision> {
    const job = this.job(spec);
    const refs = await this.remoteRefs(job, options.refreshAfter);
    const commit = commitFor(job.target, refs);
    if (!commit) throw this.refNotFound(job);
    return this.stackLock.run(spec.stack, () => this.deliver(job, commit, options.retain));
  }

  async checkout(spec: SourceSpec, commit: string, options: Pick<ResolveOptions, 'retain'> = {}): Promise<SourceRevision> {
    const job = this.job(spec);
    if (!isFullSha(commit)) throw new GitRefNotFoundError(describe(job.ctx, `"${commit}" is not a full commit sha`));
    return this.stackLock.run(spec.stack, () => this.deliver(job, commit.toLowerCase(), options.retain));
  }

  async forget(stack: string): Promise<void> {
    checkStackName(stack);
    await this.stackLock.run(stack, () => rm(this.stackDir(stack), { recursive: true, force: true }));
  }

  async pruneMirrors(urlsInUse: readonly string[]): Promise<string[]> {
    const keep = new Set(urlsInUse.map((url) => mirrorName(normaliseSource({ stack: 'prune', url, composePath: '.' }).url)));
    const entries = await readdir(this.mirrorsDir).catch(() => [] as string[]);
    const removed: string[] = [];
    for (const entry of entries.filter((e) => e.endsWith('.git') && !keep.has(e))) {
      const dir = join(this.mirrorsDir, entry);
      for (const [url, mirror] of this.mirrors) if (mirror.dir === dir) this.mirrors.delete(url);
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    }
    return removed;
  }

  private job(spec: SourceSpec): Job {
    checkStackName(spec.stack);
    const source = normaliseSource(spec);
    const target = refTarget(spec);
    const ctx = { stack: spec.stack, url: source.displayUrl, ref: target.label, secrets: secretsOf(source.credentials) };
    return { spec, source, target, ctx, mirror: this.mirrorFor(source.url) };
  }

  private mirrorFor(url: string): Mirror {
    let mirror = this.mirrors.get(url);
    if (!mirror) {
      mirror = new Mirror(url, {
        mirrorsDir: this.mirrorsDir,
        maxPacks: this.options.maxPacks ?? 10,
        onRecreate: (reason) => this.log.warn({ url: redactUrl(url), reason }, 'git mirror damaged, creating it again'),
      });
      this.mirrors.set(url, mirror);
    }
    return mirror;
  }

  private stackDir(stack: string): string {
    return resolveInside(this.dataDir, stack, 'stack name');
  }

  /** One ls-remote per repository and credential set, shared while fresh. */
  private remoteRefs(job: Job, refreshAfter: number | undefined): Promise<RemoteRefs> {
    return this.refsCache.get(
      job.source.accessKey,
      () =>
        this.withAuth(job, (auth) => {
          this.lsRemoteCount += 1;
          this.log.debug({ stack: job.spec.stack, url: job.source.displayUrl }, 'git ls-remote');
          return lsRemote(job.source.url, this.authContext(auth));
        }),
      refreshAfter,
    );
  }

  private authContext(auth: GitAuth): GitCommandContext {
    return { cwd: this.mirrorsDir, config: auth.config, env: auth.env, timeoutMs: this.options.commandTimeoutMs };
  }

  /** Prepares credentials, runs the operation with retries, and always removes temp key files. */
  private async withAuth<T>(job: Job, operation: (auth: GitAuth) => Promise<T>): Promise<T> {
    await mkdir(this.mirrorsDir, { recursive: true });
    const auth = await prepareAuth(job.source.url, job.source.credentials, { defaultKnownHostsFile: join(this.mirrorsDir, 'known_hosts') });
    try {
      return await withGitRetry(() => operation(auth), job.ctx, this.policy, {
        onRetry: (error, attempt) => this.log.warn({ stack: job.spec.stack, url: job.source.displayUrl, attempt, code: error.code }, 'git retry'),
      });
    } finally {
      await auth.dispose();
    }
  }

  private refNotFound(job: Job): GitRefNotFoundError {
    const { target } = job;
    const what = target.kind === 'branch' ? `branch "${target.name}" not found` : `tag or branch "${target.label}" not found`;
    const hint = target.kind === 'tag' && /^[0-9a-f]{4,39}$/i.test(target.name) ? ' (a commit pin needs the full 40-character sha)' : '';
    return new GitRefNotFoundError(describe(job.ctx, what + hint));
  }

  /** Exports the commit for the stack unless it is the one exported last (then: no git work). */
  private async deliver(job: Job, commit: string, retain: RetainedCommits = []): Promise<SourceRevision> {
    const stackDir = this.stackDir(job.spec.stack);
    const started = performance.now();
    const previous = (await readExportState(stackDir)).commits[0];
    const directory = join(stackDir, commit);
    if (previous === commit && (await isDirectory(directory))) {
      return this.revision(job, commit, directory, [], true);
    }
    if (!(await isDirectory(directory))) {
      await this.ensureCommit(job, commit);
      await this.exportLimit.run(() => exportCommit(job.mirror.archives, stackDir, commit)).catch((error: unknown) => {
        throw new GitCommandError(describe(job.ctx, `export of commit ${commit} failed`) + `: ${errorMessage(error)}`);
      });
    }
    const revision = this.revision(job, commit, directory, await this.changedSince(job, previous, commit), false);
    await this.checkComposeFile(job, revision);
    await recordExport(stackDir, commit, { keep: this.keepCommits, retain: typeof retain === 'function' ? await retain() : retain });
    const durationMs = Math.round(performance.now() - started);
    this.log.info({ stack: job.spec.stack, url: job.source.displayUrl, ref: job.target.label, commit, durationMs }, 'git exported commit');
    return revision;
  }

  private revision(job: Job, commit: string, directory: string, changedPaths: string[], unchanged: boolean): SourceRevision {
    const composeFile = resolveInside(directory, job.spec.composePath, 'compose_path');
    return { stack: job.spec.stack, ref: job.target.label, commit, directory, composeFile, changedPaths, unchanged };
  }

  private async changedSince(job: Job, previous: string | undefined, commit: string): Promise<string[]> {
    if (!previous || previous === commit || !(await job.mirror.hasCommit(previous))) return [];
    if (!(await job.mirror.hasCommit(commit))) return [];
    return job.mirror.changedPaths(previous, commit);
  }

  private async checkComposeFile(job: Job, revision: SourceRevision): Promise<void> {
    const isFile = await stat(revision.composeFile).then((s) => s.isFile(), () => false);
    if (!isFile) {
      const where = `compose file "${job.spec.composePath}" not found in commit ${revision.commit}`;
      throw new ComposeFileNotFoundError(describe(job.ctx, where));
    }
  }

  /** A fetch that fails because the mirror is damaged: recreate the mirror (a cache) and fetch once more. */
  private async fetchRepairing(mirror: Mirror, ctx: GitCommandContext): Promise<boolean> {
    try {
      return await mirror.fetch(ctx);
    } catch (error) {
      if (!isMirrorDamage(error)) throw error;
      await mirror.recreate(errorMessage(error));
      return mirror.fetch(ctx);
    }
  }

  /**
   * Makes sure the mirror holds the commit, fetching at most once for all stacks waiting on
   * it: first all branches and tags, then (a pin no branch contains) the commit by its id.
   */
  private async ensureCommit(job: Job, commit: string): Promise<void> {
    const { mirror } = job;
    if (await mirror.hasCommit(commit)) return;
    const fetches = [(ctx: GitCommandContext) => this.fetchRepairing(mirror, ctx), (ctx: GitCommandContext) => mirror.fetchCommit(ctx, commit)];
    for (const fetch of fetches) {
      // A fetch we only joined may have begun before this commit was pushed: then one more.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const since = performance.now();
        const started = await this.withAuth(job, (auth) => fetch(this.authContext(auth))).catch((error: unknown) => {
          if (error instanceof GitRefNotFoundError) return true; // server refuses that id: try no further
          throw error;
        });
        const durationMs = Math.round(performance.now() - since);
        this.log.info({ stack: job.spec.stack, url: job.source.displayUrl, joined: !started, durationMs }, 'git fetched mirror');
        if (await mirror.hasCommit(commit)) return;
        if (started) break;
      }
    }
    throw new GitRefNotFoundError(describe(job.ctx, `commit ${commit} not found in the repository`));
  }
}
