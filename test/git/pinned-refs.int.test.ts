import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGitSource, GitRefNotFoundError, type SourceSpec } from '../../src/git/index.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

const composeWith = (tag: string) => `services:\n  app:\n    image: busybox:${tag}\n`;

describe('pinned refs: tags and commit shas', { timeout: 60_000 }, () => {
  let repo: TestGitRepo;
  let dataDir: string;
  let v1: string;
  let v2: string;

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': composeWith('1') });
    v1 = await repo.git('rev-parse', 'HEAD');
    await repo.git('tag', 'v1');
    v2 = await repo.commit({ 'docker-compose.yaml': composeWith('2') });
    await repo.git('tag', '-a', 'v2', '-m', 'release 2');
    dataDir = await mkdtemp(join(tmpdir(), 'accelero-data-'));
  });
  after(async () => {
    await repo.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  const spec = (stack: string, extra: Partial<SourceSpec>): SourceSpec => ({ stack, url: repo.url, composePath: 'docker-compose.yaml', ...extra });
  const source = () => createGitSource({ dataDir, retries: 0, lsRemoteTtlMs: 0 });

  it('exports the commit of a lightweight tag while the branch moves on', async () => {
    const git = source();
    await repo.commit({ 'docker-compose.yaml': composeWith('3') });
    const revision = await git.resolve(spec('tag-light', { ref: 'v1' }));
    assert.equal(revision.commit, v1);
    assert.equal(revision.ref, 'v1');
    assert.match(await readFile(revision.composeFile, 'utf8'), /busybox:1/);
  });

  it('exports the commit an annotated tag points to, not the tag object', async () => {
    const revision = await source().resolve(spec('tag-annotated', { ref: 'v2' }));
    assert.equal(revision.commit, v2);
  });

  it('keeps a commit pin on its commit after the branch gets new commits', async () => {
    const git = source();
    const first = await git.resolve(spec('sha-pin', { ref: v1 }));
    await repo.commit({ 'docker-compose.yaml': composeWith('4') });
    const again = await git.resolve(spec('sha-pin', { ref: v1 }));
    assert.equal(first.commit, v1);
    assert.equal(again.commit, v1);
    assert.equal(again.unchanged, true);
  });

  it('follows the branch to its newest commit when no ref pins it', async () => {
    const head = await repo.commit({ 'docker-compose.yaml': composeWith('5') });
    const revision = await source().resolve(spec('branch-follower', { branch: 'main' }));
    assert.equal(revision.commit, head);
  });

  it('moves a tag pin when the tag is moved to another commit', async () => {
    const git = source();
    await git.resolve(spec('tag-moved', { ref: 'v1' }));
    await repo.git('tag', '-f', 'v1', v2);
    const moved = await git.resolve(spec('tag-moved', { ref: 'v1' }));
    assert.equal(moved.commit, v2);
    await repo.git('tag', '-f', 'v1', v1);
  });

  it('fails with GitRefNotFoundError naming the tag when it does not exist', async () => {
    await assert.rejects(source().resolve(spec('tag-missing', { ref: 'v9' })), (error: unknown) =>
      error instanceof GitRefNotFoundError && /"v9"/.test(error.message) && /tag-missing/.test(error.message));
  });

  it('fails with GitRefNotFoundError when a pinned sha is in no branch or tag of the repository', async () => {
    const absent = 'a'.repeat(40);
    await assert.rejects(source().resolve(spec('sha-missing', { ref: absent })), (error: unknown) =>
      error instanceof GitRefNotFoundError && error.message.includes(absent));
  });

  it('fetches a pinned sha that only a non-branch ref holds (a pull request head)', async () => {
    const prHead = await repo.commit({ 'docker-compose.yaml': composeWith('pr') });
    await repo.git('update-ref', 'refs/pull/1/head', prHead);
    await repo.git('reset', '--hard', 'HEAD~1');
    const revision = await source().resolve(spec('sha-pr', { ref: prHead }));
    assert.equal(revision.commit, prHead);
    assert.match(await readFile(revision.composeFile, 'utf8'), /busybox:pr/);
  });

  it('exports an older commit again for a rollback with checkout', async () => {
    const git = source();
    await git.resolve(spec('rollback', {}));
    const revision = await git.checkout(spec('rollback', {}), v1);
    assert.equal(revision.commit, v1);
    assert.match(await readFile(revision.composeFile, 'utf8'), /busybox:1/);
  });
});
