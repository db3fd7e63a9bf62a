import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGitSource, GitNetworkError } from '../../src/git/index.ts';
import { captureLogger } from './helpers/capture-logger.ts';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

describe('transient failures', { timeout: 60_000 }, () => {
  let repo: TestGitRepo;
  let server: GitHttpServer;
  let url: string;
  let dataDir: string;

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': 'services: {}\n' });
    server = await startGitHttpServer();
    url = server.addRepo('flaky', repo.dir);
    dataDir = await mkdtemp(join(tmpdir(), 'accelero-data-'));
  });
  after(async () => {
    await server.stop();
    await repo.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  const spec = (stack: string) => ({ stack, url, composePath: 'docker-compose.yaml' });

  it('retries a 503 with backoff and then succeeds, logging the retry', async () => {
    const logger = captureLogger();
    const git = createGitSource({ dataDir, logger, retries: 2, retryMinTimeoutMs: 10 });
    server.failNext(1, 503);
    const revision = await git.resolve(spec('flaky-ok'));
    assert.equal(revision.commit, await repo.git('rev-parse', 'HEAD'));
    assert.equal(logger.lines.filter((line) => line.includes('git retry')).length, 1);
  });

  it('gives up with GitNetworkError once the retries are spent', async () => {
    const git = createGitSource({ dataDir, retries: 1, retryMinTimeoutMs: 10 });
    server.failNext(100, 503);
    try {
      await assert.rejects(git.resolve(spec('flaky-down')), GitNetworkError);
    } finally {
      server.failNext(0);
    }
  });

  it('leaves the last good export in place when a later fetch fails', async () => {
    const git = createGitSource({ dataDir, retries: 0, lsRemoteTtlMs: 0 });
    const good = await git.resolve(spec('keeps-last'));
    await repo.commit({ 'docker-compose.yaml': 'services:\n  a:\n    image: busybox\n' });
    server.failNext(100, 503);
    try {
      await assert.rejects(git.resolve(spec('keeps-last')), GitNetworkError);
    } finally {
      server.failNext(0);
    }
    assert.ok(existsSync(good.composeFile));
  });

  it('fails with GitNetworkError when nothing listens on the port', async () => {
    const git = createGitSource({ dataDir, retries: 0 });
    await assert.rejects(git.resolve({ ...spec('closed-port'), url: 'http://127.0.0.1:9/none.git' }), GitNetworkError);
  });
});
