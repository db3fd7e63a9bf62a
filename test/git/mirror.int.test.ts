import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createGitSource } from '../../src/git/index.ts';
import { runGit } from '../../src/git/run-git.ts';
import { useRepoFixture } from './helpers/repo-fixture.ts';

async function mirrorDirs(mirrorsDir: string): Promise<string[]> {
  return (await readdir(mirrorsDir)).filter((name) => name.endsWith('.git')).map((name) => join(mirrorsDir, name));
}

describe('bare mirrors', { timeout: 120_000 }, () => {
  const fx = useRepoFixture({ 'docker-compose.yaml': 'services: {}\n' });

  it('keeps one mirror per repository URL however many stacks use it', async () => {
    const mirrorsDir = join(fx.dataDir, 'one-mirror');
    const git = createGitSource({ dataDir: fx.dataDir, mirrorsDir });
    for (const stack of ['a', 'b', 'c']) await git.resolve({ stack, url: fx.repo.url, composePath: 'docker-compose.yaml' });
    assert.equal((await mirrorDirs(mirrorsDir)).length, 1);
  });

  it('stores no remote and no URL with credentials in the mirror config', async () => {
    const mirrorsDir = join(fx.dataDir, 'no-remote');
    const git = createGitSource({ dataDir: fx.dataDir, mirrorsDir });
    await git.resolve({ stack: 'cfg', url: fx.repo.url, composePath: 'docker-compose.yaml' });
    const [mirror] = await mirrorDirs(mirrorsDir);
    const config = await readFile(join(mirror, 'config'), 'utf8');
    assert.doesNotMatch(config, /\[remote|url\s*=|credential|extraheader/i);
  });

  it('prunes the mirrors of repositories no stack uses any more', async () => {
    const mirrorsDir = join(fx.dataDir, 'prune');
    const git = createGitSource({ dataDir: fx.dataDir, mirrorsDir });
    const other = `${fx.repo.url}/.git`;
    await git.resolve({ stack: 'kept', url: fx.repo.url, composePath: 'docker-compose.yaml' });
    await git.resolve({ stack: 'dropped', url: other, composePath: 'docker-compose.yaml' });
    const removed = await git.pruneMirrors([fx.repo.url]);
    assert.equal(removed.length, 1);
    assert.equal((await mirrorDirs(mirrorsDir)).length, 1);
    // The mirror in use survived: a new source finds the commit there without fetching.
    const again = createGitSource({ dataDir: fx.dataDir, mirrorsDir });
    await again.resolve({ stack: 'kept-again', url: fx.repo.url, composePath: 'docker-compose.yaml' });
    assert.equal(again.stats().fetches, 0);
  });

  it('recovers from lock files a killed fetch left in the mirror', async () => {
    const mirrorsDir = join(fx.dataDir, 'stale-locks');
    const spec = { stack: 'locked', url: fx.repo.url, composePath: 'docker-compose.yaml' };
    await createGitSource({ dataDir: fx.dataDir, mirrorsDir }).resolve(spec);
    const [mirror] = await mirrorDirs(mirrorsDir);
    await writeFile(join(mirror, 'refs', 'heads', 'main.lock'), '');
    await writeFile(join(mirror, 'packed-refs.lock'), '');
    const head = await fx.repo.commit({ 'after-crash.txt': 'x' });
    const revision = await createGitSource({ dataDir: fx.dataDir, mirrorsDir, retries: 0 }).resolve(spec);
    assert.equal(revision.commit, head);
  });

  it('creates a damaged mirror again instead of failing every cycle', async () => {
    const mirrorsDir = join(fx.dataDir, 'damaged');
    const spec = { stack: 'damaged', url: fx.repo.url, composePath: 'docker-compose.yaml' };
    await createGitSource({ dataDir: fx.dataDir, mirrorsDir }).resolve(spec);
    const [mirror] = await mirrorDirs(mirrorsDir);
    // A ref to an object the mirror does not hold, as a crash between writes can leave.
    await writeFile(join(mirror, 'refs', 'heads', 'main'), `${'0123456789'.repeat(4)}\n`);
    const head = await fx.repo.commit({ 'after-damage.txt': 'x' });
    const revision = await createGitSource({ dataDir: fx.dataDir, mirrorsDir, retries: 0 }).resolve(spec);
    assert.equal(revision.commit, head);
    assert.equal(await runGit(['rev-parse', 'refs/heads/main'], { cwd: mirror }).then((out) => out.trim()), head);
  });

  it('folds packs together once more than maxPacks pile up', async () => {
    const mirrorsDir = join(fx.dataDir, 'compact');
    const git = createGitSource({ dataDir: fx.dataDir, mirrorsDir, maxPacks: 3, lsRemoteTtlMs: 0 });
    for (let i = 0; i < 8; i += 1) {
      await fx.repo.commit({ [`f${i}.txt`]: `${i}\n` });
      await git.resolve({ stack: 'packs', url: fx.repo.url, composePath: 'docker-compose.yaml' });
    }
    const [mirror] = await mirrorDirs(mirrorsDir);
    const packs = (await readdir(join(mirror, 'objects', 'pack'))).filter((name) => name.endsWith('.pack'));
    assert.equal(git.stats().fetches, 8);
    assert.ok(packs.length <= 3, `packs: ${packs.length}`);
  });
});
