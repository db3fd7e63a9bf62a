import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createGitSource, GitError, PathEscapeError } from '../../src/git/index.ts';
import { useRepoFixture } from './helpers/repo-fixture.ts';

const isCommitDir = (name: string) => /^[0-9a-f]{40}$/.test(name);

describe('per-commit exports', { timeout: 60_000 }, () => {
  const fx = useRepoFixture({ 'docker-compose.yaml': 'services: {}\n' });

  const spec = (stack: string, composePath = 'docker-compose.yaml') => ({ stack, url: fx.repo.url, composePath });

  it('keeps the newest keepCommits exports and removes older ones', async () => {
    const git = createGitSource({ dataDir: fx.dataDir, keepCommits: 2, lsRemoteTtlMs: 0 });
    const commits: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      await fx.repo.commit({ 'n.txt': String(i) });
      commits.push((await git.resolve(spec('retained'))).commit);
    }
    const kept = (await readdir(join(fx.dataDir, 'retained'))).filter(isCommitDir).sort();
    assert.deepEqual(kept, commits.slice(-2).sort());
  });

  it('keeps the commit it rolled back to among the newest exports', async () => {
    const git = createGitSource({ dataDir: fx.dataDir, keepCommits: 2, lsRemoteTtlMs: 0 });
    const old = (await git.resolve(spec('rolled'))).commit;
    await fx.repo.commit({ 'n.txt': 'a' });
    await git.resolve(spec('rolled'));
    await git.checkout(spec('rolled'), old);
    await fx.repo.commit({ 'n.txt': 'b' });
    const newest = (await git.resolve(spec('rolled'))).commit;
    const kept = (await readdir(join(fx.dataDir, 'rolled'))).filter(isCommitDir).sort();
    assert.deepEqual(kept, [old, newest].sort());
  });

  it('keeps a retained commit (the deployed one) however many newer commits are exported', async () => {
    const git = createGitSource({ dataDir: fx.dataDir, keepCommits: 1, lsRemoteTtlMs: 0 });
    const deployed = (await git.resolve(spec('retaining'))).commit;
    for (let i = 0; i < 3; i += 1) {
      await fx.repo.commit({ 'n.txt': `retain ${i}` });
      await git.resolve(spec('retaining'), { retain: [deployed] });
    }
    const kept = (await readdir(join(fx.dataDir, 'retaining'))).filter(isCommitDir);
    assert.ok(kept.includes(deployed));
    assert.equal(kept.length, 2);
  });

  it('asks for the retained commits only when it records a new export', async () => {
    const git = createGitSource({ dataDir: fx.dataDir, keepCommits: 1, lsRemoteTtlMs: 0 });
    const deployed = (await git.resolve(spec('asking'))).commit;
    let asked = 0;
    const retain = async () => (asked++, [deployed]);
    await git.resolve(spec('asking'), { retain });
    assert.equal(asked, 0, 'the commit was exported already: nothing to prune, nothing asked');
    await fx.repo.commit({ 'n.txt': 'asking' });
    await git.resolve(spec('asking'), { retain });
    assert.equal(asked, 1);
    assert.ok((await readdir(join(fx.dataDir, 'asking'))).includes(deployed), 'the retained commit survived the pruning');
  });

  it('fails with a GitError naming the stack and commit when the export cannot be written', async () => {
    const blocked = join(fx.dataDir, 'blocked-data');
    await writeFile(blocked, 'a file where the data directory should be');
    const git = createGitSource({ dataDir: blocked, mirrorsDir: join(fx.dataDir, 'blocked-mirrors') });
    await assert.rejects(git.resolve(spec('unwritable')), (error: unknown) =>
      error instanceof GitError && /stack "unwritable"/.test(error.message) && /export of commit [0-9a-f]{40} failed/.test(error.message));
  });

  it('removes every export of a stack on forget', async () => {
    const git = createGitSource({ dataDir: fx.dataDir });
    await git.resolve(spec('forgotten'));
    await git.forget('forgotten');
    assert.equal(existsSync(join(fx.dataDir, 'forgotten')), false);
  });

  it('rejects a compose_path that climbs out of the export', async () => {
    const git = createGitSource({ dataDir: fx.dataDir });
    await assert.rejects(git.resolve(spec('escape', '../../etc/passwd')), PathEscapeError);
  });

  it('rejects a compose file that is a symlink leading outside the export', async () => {
    await symlink('/etc/hostname', join(fx.repo.dir, 'linked.yaml'));
    await fx.repo.commit({});
    const git = createGitSource({ dataDir: fx.dataDir, lsRemoteTtlMs: 0 });
    await assert.rejects(git.resolve(spec('symlinked', 'linked.yaml')), PathEscapeError);
  });
});
