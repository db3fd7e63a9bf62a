import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { createGitSource, type AcceleroGitSource, type SourceSpec } from '../../src/git/index.ts';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

const STACKS = 10;

describe('ten stacks on one repository share its mirror', { timeout: 120_000 }, () => {
  let repo: TestGitRepo;
  let server: GitHttpServer;
  let url: string;
  const dirs: string[] = [];

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': 'services:\n  app:\n    image: busybox\n' });
    server = await startGitHttpServer();
    url = server.addRepo('shared', repo.dir);
  });
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  after(async () => {
    await server.stop();
    await repo.remove();
  });

  const specs = (): SourceSpec[] =>
    Array.from({ length: STACKS }, (_, i) => ({ stack: `stack-${i}`, url, composePath: 'docker-compose.yaml' }));
  async function newSource(lsRemoteTtlMs = 60_000): Promise<AcceleroGitSource> {
    const dataDir = await mkdtemp(join(tmpdir(), 'accelero-data-'));
    dirs.push(dataDir);
    return createGitSource({ dataDir, lsRemoteTtlMs, retries: 0 });
  }
  /** One reconcile cycle; `refresh` makes it ignore ls-remote answers from earlier cycles. */
  const cycle = (git: AcceleroGitSource, refresh = false) => {
    const refreshAfter = refresh ? Date.now() : undefined;
    return Promise.all(specs().map((spec) => git.resolve(spec, { refreshAfter })));
  };

  it('fetches once when ten stacks resolve the same change concurrently', async () => {
    const git = await newSource();
    server.resetCounts();
    const revisions = await cycle(git);
    assert.equal(server.counts.fetches, 1, JSON.stringify(server.counts));
    assert.equal(new Set(revisions.map((r) => r.commit)).size, 1);
  });

  it('does one ls-remote for ten stacks within the ls-remote cache lifetime', async () => {
    const git = await newSource();
    server.resetCounts();
    await cycle(git);
    // One ls-remote, plus the ref listing the fetch does itself (protocol v2).
    assert.deepEqual({ lsRefs: server.counts.lsRefs, fetches: server.counts.fetches }, { lsRefs: 2, fetches: 1 });
  });

  it('fetches once per change when ten stacks resolve one after another', async () => {
    const git = await newSource(0);
    server.resetCounts();
    for (const spec of specs()) await git.resolve(spec);
    await repo.commit({ 'docker-compose.yaml': 'services:\n  app:\n    image: busybox:2\n' });
    for (const spec of specs()) await git.resolve(spec);
    assert.equal(server.counts.fetches, 2, JSON.stringify(server.counts));
  });

  it('does no fetch in a cycle where nothing changed, only the ls-remote', async () => {
    const git = await newSource();
    await cycle(git);
    server.resetCounts();
    const revisions = await cycle(git, true);
    assert.deepEqual(
      { fetches: server.counts.fetches, lsRefs: server.counts.lsRefs },
      { fetches: 0, lsRefs: 1 },
      JSON.stringify(server.counts),
    );
    assert.ok(revisions.every((r) => r.unchanged));
  });

  it('fetches once for the next change after the branch moves', async () => {
    const git = await newSource();
    await cycle(git);
    const head = await repo.commit({ 'docker-compose.yaml': 'services:\n  app:\n    image: busybox:3\n' });
    server.resetCounts();
    const revisions = await cycle(git, true);
    assert.equal(server.counts.fetches, 1, JSON.stringify(server.counts));
    assert.ok(revisions.every((r) => r.commit === head && !r.unchanged));
  });
});
