import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGitSource, GitAuthError, GitRepositoryNotFoundError, type SourceSpec } from '../../src/git/index.ts';
import { captureLogger } from './helpers/capture-logger.ts';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';
import { filesContaining } from './helpers/grep-tree.ts';

const TOKEN = 'tok-9f8e7d6c5b4a-private';
const WRONG = 'tok-wrong-1234567890';
const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

describe('git source over smart HTTP with basic auth', { timeout: 60_000 }, () => {
  let repo: TestGitRepo;
  let server: GitHttpServer;
  let url: string;
  let dataDir: string;
  const logger = captureLogger();
  const errors: string[] = [];

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': 'services:\n  app:\n    image: busybox\n' });
    server = await startGitHttpServer({ auth: { username: 'deploy', password: TOKEN } });
    url = server.addRepo('private', repo.dir);
    dataDir = await mkdtemp(join(tmpdir(), 'accelero-data-'));
  });
  after(async () => {
    await server.stop();
    await repo.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  const spec = (stack: string, token: string | undefined, extra: Partial<SourceSpec> = {}): SourceSpec => ({
    stack,
    url,
    composePath: 'docker-compose.yaml',
    credentials: token ? { username: 'deploy', token } : undefined,
    ...extra,
  });
  const source = () => createGitSource({ dataDir, logger, retries: 0 });
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => assert.fail('expected a failure'), (e: unknown) => e as Error);
    errors.push(`${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}`);
    return error;
  };

  it('resolves and exports a private repository with username and token', async () => {
    const revision = await source().resolve(spec('private-ok', TOKEN));
    assert.equal(revision.commit, await repo.git('rev-parse', 'HEAD'));
    assert.match(await readFile(revision.composeFile, 'utf8'), /busybox/);
  });

  it('resolves with the credentials embedded in the URL, which are then kept out of the mirror', async () => {
    const withUserInfo = url.replace('http://', `http://deploy:${TOKEN}@`);
    const revision = await source().resolve({ stack: 'private-url', url: withUserInfo, composePath: 'docker-compose.yaml' });
    assert.equal(revision.commit, await repo.git('rev-parse', 'HEAD'));
  });

  it('fails with GitAuthError naming the stack, the URL and the ref when the token is wrong', async () => {
    const error = await failure(source().resolve(spec('wrong-token', WRONG, { branch: 'main' })));
    assert.ok(error instanceof GitAuthError);
    assert.match(error.message, /stack "wrong-token"/);
    assert.ok(error.message.includes(url));
    assert.match(error.message, /ref main/);
  });

  it('fails with GitAuthError when no credentials are given for a private repository', async () => {
    const error = await failure(source().resolve(spec('no-token', undefined)));
    assert.ok(error instanceof GitAuthError);
  });

  it('does not retry an authentication failure', async () => {
    server.resetCounts();
    const retrying = createGitSource({ dataDir, logger, retries: 3, retryMinTimeoutMs: 10 });
    await failure(retrying.resolve(spec('no-retry', WRONG)));
    // One attempt is an anonymous request and one with the token; a retry would add more.
    assert.equal(server.counts.requests, 2, JSON.stringify(server.counts));
  });

  it('fails with GitRepositoryNotFoundError for an unknown repository path', async () => {
    const error = await failure(source().resolve(spec('missing', TOKEN, { url: `${server.baseUrl}/absent.git` })));
    assert.ok(error instanceof GitRepositoryNotFoundError, String(error));
  });

  it('never puts the token on a git command line, where any local user could read it', async () => {
    const binDir = join(dataDir, 'spy-bin');
    const argvLog = join(dataDir, 'spy-argv.log');
    await mkdir(binDir);
    await writeFile(join(binDir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec ${realGit} "$@"\n`, { mode: 0o755 });
    const savedPath = process.env.PATH;
    process.env.PATH = `${binDir}:${savedPath}`;
    try {
      await repo.commit({ 'spy.txt': 'x' });
      await createGitSource({ dataDir: join(dataDir, 'spied'), retries: 0 }).resolve(spec('argv-spy', TOKEN));
    } finally {
      process.env.PATH = savedPath;
    }
    const argv = await readFile(argvLog, 'utf8');
    assert.match(argv, /ls-remote/);
    assert.match(argv, /fetch/);
    assert.ok(!argv.includes(TOKEN));
    assert.ok(!argv.includes(Buffer.from(`deploy:${TOKEN}`).toString('base64')));
    await rm(argvLog);
  });

  it('keeps the token out of errors, logs, the mirror config and every file of the data directory', async () => {
    // Runs after the tests above: their errors and logs are what is searched.
    assert.ok(errors.length >= 3 && logger.lines.length > 0);
    for (const secret of [TOKEN, WRONG, Buffer.from(`deploy:${TOKEN}`).toString('base64')]) {
      assert.deepEqual(errors.filter((text) => text.includes(secret)), []);
      assert.deepEqual(logger.lines.filter((line) => line.includes(secret)), []);
      assert.deepEqual(await filesContaining(dataDir, secret), []);
    }
    assert.ok((await filesContaining(dataDir, '[core]')).length >= 1, 'a mirror config was searched');
  });
});
