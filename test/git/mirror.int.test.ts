import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGitSource } from '../../src/git/index.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

async function mirrorDirs(mirrorsDir: string): Promise<string[]> {
  return (await readdir(mirrorsDir)).filter((name) => name.endsWith('.git')).map((name) => join(mirrorsDir, name));
}

describe('bare mirrors', { timeout: 120_000 }, () => {
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

  it('keeps one mirror per repository URL however many stacks use it', async () => {
    const mirrorsDir = join(dataDir, 'one-mirror');
    const git = createGitSource({ dataDir, mirrorsDir });
    for (const stack of ['a', 'b', 'c']) await git.resolve({ stack, url: repo.url, composePath: 'docker-compose.yaml' });
    assert.equal((await mirrorDirs(mirrorsDir)).length, 1);
  });

  it('stores no remote and no URL with credentials in the mirror config', async () => {
    const mirrorsDir = join(dataDir, 'no-remote');
    const git = createGitSource({ dataDir, mirrorsDir });
    await git.resolve({ stack: 'cfg', url: repo.url, composePath: 'docker-compose.yaml' });
    const [mirror] = await mirrorDirs(mirrorsDir);
    const config = await readFile(join(mirror, 'config'), 'utf8');
    assert.doesNotMatch(config, /\[remote|url\s*=|credential|extraheader/i);
  });

  it('folds packs together once more than maxPacks pile up', async () => {
    const mirrorsDir = join(dataDir, 'compact');
    const git = createGitSource({ dataDir, mirrorsDir, maxPacks: 3, lsRemoteTtlMs: 0 });
    for (let i = 0; i < 8; i += 1) {
      await repo.commit({ [`f${i}.txt`]: `${i}\n` });
      await git.resolve({ stack: 'packs', url: repo.url, composePath: 'docker-compose.yaml' });
    }
    const [mirror] = await mirrorDirs(mirrorsDir);
    const packs = (await readdir(join(mirror, 'objects', 'pack'))).filter((name) => name.endsWith('.pack'));
    assert.equal(git.stats().fetches, 8);
    assert.ok(packs.length <= 3, `packs: ${packs.length}`);
  });
});
