import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGitSource, PathEscapeError } from '../../src/git/index.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

const isCommitDir = (name: string) => /^[0-9a-f]{40}$/.test(name);

describe('per-commit exports', { timeout: 60_000 }, () => {
  let repo: TestGitRepo;
  let dataDir: string;

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': 'services: {}\n' });
    dataDir = await mkdtemp(join(tmpdir(), 'accelero-data-'));
  });
  after(async () => {
    await repo.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  const spec = (stack: string, composePath = 'docker-compose.yaml') => ({ stack, url: repo.url, composePath });

  it('keeps the newest keepCommits exports and removes older ones', async () => {
    const git = createGitSource({ dataDir, keepCommits: 2, lsRemoteTtlMs: 0 });
    const commits: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      await repo.commit({ 'n.txt': String(i) });
      commits.push((await git.resolve(spec('retained'))).commit);
    }
    const kept = (await readdir(join(dataDir, 'retained'))).filter(isCommitDir).sort();
    assert.deepEqual(kept, commits.slice(-2).sort());
  });

  it('keeps the commit it rolled back to among the newest exports', async () => {
    const git = createGitSource({ dataDir, keepCommits: 2, lsRemoteTtlMs: 0 });
    const old = (await git.resolve(spec('rolled'))).commit;
    await repo.commit({ 'n.txt': 'a' });
    await git.resolve(spec('rolled'));
    await git.checkout(spec('rolled'), old);
    await repo.commit({ 'n.txt': 'b' });
    const newest = (await git.resolve(spec('rolled'))).commit;
    const kept = (await readdir(join(dataDir, 'rolled'))).filter(isCommitDir).sort();
    assert.deepEqual(kept, [old, newest].sort());
  });

  it('removes every export of a stack on forget', async () => {
    const git = createGitSource({ dataDir });
    await git.resolve(spec('forgotten'));
    await git.forget('forgotten');
    assert.equal(existsSync(join(dataDir, 'forgotten')), false);
  });

  it('rejects a compose_path that climbs out of the export', async () => {
    const git = createGitSource({ dataDir });
    await assert.rejects(git.resolve(spec('escape', '../../etc/passwd')), PathEscapeError);
  });

  it('rejects a compose file that is a symlink leading outside the export', async () => {
    await symlink('/etc/hostname', join(repo.dir, 'linked.yaml'));
    await repo.commit({});
    const git = createGitSource({ dataDir, lsRemoteTtlMs: 0 });
    await assert.rejects(git.resolve(spec('symlinked', 'linked.yaml')), PathEscapeError);
  });
});
