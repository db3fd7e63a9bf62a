import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createGitSource } from '../../src/git/index.ts';
import { ComposeFileNotFoundError, GitRefNotFoundError, GitRepositoryNotFoundError } from '../../src/git/errors.ts';
import { useRepoFixture } from './helpers/repo-fixture.ts';

const compose = 'services:\n  web:\n    image: nginx\n';

describe('git source on a local repository', { timeout: 60_000 }, () => {
  const fx = useRepoFixture({ 'docker-compose.yaml': compose, 'conf/app.env': 'A=1\n' });

  it('exports the head of main to <fx.dataDir>/<stack>/<commit>/ without a .git directory', async () => {
    const source = createGitSource({ dataDir: fx.dataDir });
    const head = await fx.repo.git('rev-parse', 'HEAD');
    const revision = await source.resolve({ stack: 'web', url: fx.repo.url, composePath: 'docker-compose.yaml' });
    assert.equal(revision.commit, head);
    assert.equal(revision.directory, join(fx.dataDir, 'web', head));
    assert.equal(revision.composeFile, join(fx.dataDir, 'web', head, 'docker-compose.yaml'));
    assert.equal(await readFile(join(revision.directory, 'conf/app.env'), 'utf8'), 'A=1\n');
    assert.equal(existsSync(join(revision.directory, '.git')), false);
  });

  it('accepts a plain local path as the repository URL', async () => {
    const source = createGitSource({ dataDir: fx.dataDir });
    const revision = await source.resolve({ stack: 'plain-path', url: fx.repo.dir, composePath: 'docker-compose.yaml' });
    assert.equal(revision.commit, await fx.repo.git('rev-parse', 'HEAD'));
  });

  it('reports unchanged when the branch did not move since the last export', async () => {
    const source = createGitSource({ dataDir: fx.dataDir });
    const spec = { stack: 'again', url: fx.repo.url, composePath: 'docker-compose.yaml' };
    const first = await source.resolve(spec);
    const second = await source.resolve(spec, { refreshAfter: Date.now() });
    assert.equal(first.unchanged, false);
    assert.equal(second.unchanged, true);
    assert.equal(second.commit, first.commit);
  });

  it('lists the paths changed since the previous export when the branch moves', async () => {
    const source = createGitSource({ dataDir: fx.dataDir });
    const spec = { stack: 'moving', url: fx.repo.url, composePath: 'docker-compose.yaml' };
    await source.resolve(spec);
    const next = await fx.repo.commit({ 'conf/app.env': 'A=2\n', 'extra.txt': 'x' });
    const revision = await source.resolve(spec, { refreshAfter: Date.now() });
    assert.equal(revision.commit, next);
    assert.deepEqual([...revision.changedPaths].sort(), ['conf/app.env', 'extra.txt']);
  });

  it('fails with ComposeFileNotFoundError naming the stack, path and commit when the compose file is absent', async () => {
    const source = createGitSource({ dataDir: fx.dataDir });
    await assert.rejects(
      source.resolve({ stack: 'nofile', url: fx.repo.url, composePath: 'deploy/compose.yaml' }),
      (error: unknown) =>
        error instanceof ComposeFileNotFoundError && /nofile/.test(error.message) && /deploy\/compose\.yaml/.test(error.message),
    );
  });

  it('fails with GitRefNotFoundError naming the branch when the branch does not exist', async () => {
    const source = createGitSource({ dataDir: fx.dataDir });
    await assert.rejects(
      source.resolve({ stack: 'nobranch', url: fx.repo.url, branch: 'release', composePath: 'docker-compose.yaml' }),
      (error: unknown) => error instanceof GitRefNotFoundError && /release/.test(error.message) && /nobranch/.test(error.message),
    );
  });

  it('fails with GitRepositoryNotFoundError when the path holds no repository', async () => {
    const source = createGitSource({ dataDir: fx.dataDir, retries: 0 });
    await assert.rejects(
      source.resolve({ stack: 'norepo', url: join(fx.dataDir, 'missing-repo'), composePath: 'docker-compose.yaml' }),
      GitRepositoryNotFoundError,
    );
  });
});
