import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AcceleroGitSource, GitSourceStats, ResolveOptions, SourceRevision, SourceSpec } from '../../src/git/index.ts';

// A git source for unit tests: every repository has a head (a made-up sha, or one the test
// sets), nothing is fetched or exported, and every call is recorded with its options.

export interface GitCall {
  method: 'resolve' | 'checkout' | 'forget' | 'pruneMirrors';
  spec?: SourceSpec;
  commit?: string;
  options?: ResolveOptions;
  stack?: string;
}

export const fakeSha = (seed: string) => createHash('sha1').update(seed).digest('hex');

export class FakeGitSource implements AcceleroGitSource {
  readonly calls: GitCall[] = [];
  private readonly heads = new Map<string, string>();
  /** Runs before a resolve answers: a test makes it wait (a gate) or throw (git failing). */
  beforeResolve: (spec: SourceSpec) => Promise<void> | void = () => {};

  constructor(private readonly dataDir: string) {}

  /** Moves the head of a repository (a push). */
  setHead(url: string, commit: string): void {
    this.heads.set(url, commit);
  }

  headOf(url: string): string {
    return this.heads.get(url) ?? fakeSha(url);
  }

  async resolve(spec: SourceSpec, options?: ResolveOptions): Promise<SourceRevision> {
    this.calls.push({ method: 'resolve', spec, options });
    await this.beforeResolve(spec);
    return this.revisionOf(spec, spec.ref ?? spec.branch ?? 'main', this.headOf(spec.url));
  }

  async checkout(spec: SourceSpec, commit: string, options?: Pick<ResolveOptions, 'retain'>): Promise<SourceRevision> {
    this.calls.push({ method: 'checkout', spec, commit, options });
    return this.revisionOf(spec, commit, commit);
  }

  async forget(stack: string): Promise<void> {
    this.calls.push({ method: 'forget', stack });
  }

  async pruneMirrors(): Promise<string[]> {
    this.calls.push({ method: 'pruneMirrors' });
    return [];
  }

  stats(): GitSourceStats {
    return { lsRemotes: this.calls.filter((c) => c.method === 'resolve').length, fetches: 0 };
  }

  private revisionOf(spec: SourceSpec, ref: string, commit: string): SourceRevision {
    const directory = join(this.dataDir, spec.stack, commit);
    return { stack: spec.stack, ref, commit, directory, composeFile: join(directory, spec.composePath), changedPaths: [], unchanged: false };
  }
}
