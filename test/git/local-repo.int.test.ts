import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGitSource } from '../../src/git/index.ts';
import { ComposeFileNotFoundError, GitRefNotFoundError, GitRepositoryNotFoundError } from '../../src/git/errors.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

const compose = 'services:\n  web:\n    image: nginx\n';

describe('git source on a local repository', { timeout: 60_000 }, () => {
  let repo: TestGitRepo;
  let dataDir: string;
  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose, 'conf/app.env': 'A=1\n' });
    dataDir = await mkdtemp(join(tmpdir(), 'accelero-data-'));
  });
  after(async () => {
    await repo.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exports the head of main to <dataDir>/<stack>/<commit>/ without a .git directory', async () => {
    const source = createGitSource({ dataDir });
    const head = await repo.git('rev-parse', 'HEAD');
    const revision = await source.resolve({ stack: 'web', url: repo.url, composePath: 'docker-compose.yaml' });
    assert.equal(revision.commit, head);
    assert.equal(revision.directory, join(dataDir, 'web', head));
    assert.equal(revision.composeFile, join(dataDir, 'web', head, 'docker-compose.yaml'));
    assert.equal(await readFile(join(revision.directory, 'conf/app.env'), 'utf8'), 'A=1\n');
    assert.equal(existsSync(join(revision.directory, '.git')), false);
  });

  it('accepts a plain local path as the repository URL', async () => {
    const source = createGitSource({ dataDir });
    const revision = await source.resolve({ stack: 'plain-path', url: repo.dir, composePath: 'docker-compose.yaml' });
    assert.equal(revision.commit, await repo.git('rev-parse', 'HEAD'));
  });

  it('reports unchanged when the branch did not move since the last export', async () => {
    const source = createGitSource({ dataDir });
    const spec = { stack: 'again', url: repo.url, composePath: 'docker-compose.yaml' };
    const first = await source.resolve(spec);
    const second = await source.resolve(spec, { refreshAfter: Date.now() });
    assert.equal(first.unchanged, false);
    assert.equal(second.unchanged, true);
    assert.equal(second.commit, first.commit);
  });

  it('lists the paths changed since the previous export when the branch moves', async () => {
    const source = createGitSource({ dataDir });
    const spec = { stack: 'moving', url: repo.url, composePath: 'docker-compose.yaml' };
    await source.resolve(spec);
    const next = await repo.commit({ 'conf/app.env': 'A=2\n', 'extra.txt': 'x' });
    const revision = await source.resolve(spec, { refreshAfter: Date.now() });
    assert.equal(revision.commit, next);
    assert.deepEqual([...revision.changedPaths].sort(), ['conf/app.env', 'extra.txt']);
  });

  it('fails with ComposeFileNotFoundError naming the stack, path and commit when the compose file is absent', async () => {
    const source = createGitSource({ dataDir });
    await assert.rejects(
      source.resolve({ stack: 'nofile', url: repo.url, composePath: 'deploy/compose.yaml' }),
      (error: unknown) =>
        error instanceof ComposeFileNotFoundError && /nofile/.test(error.message) && /deploy\/compose\.yaml/.test(error.message),
    );
  });

  it('fails with GitRefNotFoundError naming the branch when the branch does not exist', async () => {
    const source = createGitSource({ dataDir });
    await assert.rejects(
      source.resolve({ stack: 'nobranch', url: repo.url, branch: 'release', composePath: 'docker-compose.yaml' }),
      (error: unknown) => error instanceof GitRefNotFoundError && /release/.test(error.message) && /nobranch/.test(error.message),
    );
  });

  it('fails with GitRepositoryNotFoundError when the path holds no repository', async () => {
    const source = createGitSource({ dataDir, retries: 0 });
    await assert.rejects(
      source.resolve({ stack: 'norepo', url: join(dataDir, 'missing-repo'), composePath: 'docker-compose.yaml' }),
      GitRepositoryNotFoundError,
    );
  });
});
