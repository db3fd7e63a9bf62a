import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { createGitSource, GitNetworkError, GitTimeoutError } from '../../src/git/index.ts';
import { eventually } from '../support/daemon.ts';
import { closedPortUrl } from '../support/git-http-faults.ts';
import { PRIVATE_USER, usePrivateServer } from './helpers/private-server-fixture.ts';
import { processesMentioning } from './helpers/processes.ts';

const TOKEN = 'tok-hung-5a4b3c2d1e-private';
const BASIC = Buffer.from(`${PRIVATE_USER}:${TOKEN}`).toString('base64');
const GIT_TIMEOUT_MS = 2_000;

describe('a git server that hangs or is gone', { timeout: 180_000 }, () => {
  const fx = usePrivateServer(TOKEN, {
    small: () => ({ 'docker-compose.yaml': 'services:\n  app:\n    image: busybox\n' }),
    // Random data does not compress: the pack is as large as the file.
    big: () => ({ 'docker-compose.yaml': 'services: {}\n', 'blob.txt': randomBytes(1024 * 1024).toString('base64') }),
  });

  // The default retry policy: a timeout must not be retried even though others are.
  const source = (name: string) => createGitSource({ dataDir: fx.dataDir(name), commandTimeoutMs: GIT_TIMEOUT_MS, retryMinTimeoutMs: 10 });
  const timeoutOf = async (promise: Promise<unknown>): Promise<GitTimeoutError> => {
    const error = await promise.then(() => assert.fail('expected a timeout'), (e: unknown) => e);
    assert.ok(error instanceof GitTimeoutError, String(error));
    const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
    assert.ok(!everything.includes(TOKEN) && !everything.includes(BASIC), 'no credentials in the error');
    return error;
  };
  const noGitLeftFor = (url: string) => eventually(async () => (await processesMentioning(url)).length === 0, `no git process left for ${url}`, 30_000);

  it('stops an ls-remote the server never answers, once, naming stack, URL and GIT_TIMEOUT', async () => {
    fx.server.setFault('small', { kind: 'hang' });
    const error = await timeoutOf(source('hang-refs').resolve(fx.spec('hang-refs', 'small')));
    assert.equal(error.code, 'git_timeout');
    const expected = `stack "hang-refs": git ls-remote of ${fx.url('small')} (ref main) made no progress for 2s and was stopped (GIT_TIMEOUT)`;
    assert.equal(error.message, expected);
    assert.equal(fx.server.faultHits('small'), 1, 'not retried inside the git layer');
    await noGitLeftFor(fx.url('small'));
  });

  it('stops a fetch the server accepts and never answers', async () => {
    fx.server.setFault('small', { kind: 'hang', phase: 'fetch' });
    const error = await timeoutOf(source('hang-fetch').resolve(fx.spec('hang-fetch', 'small')));
    assert.match(error.message, /^stack "hang-fetch": git fetch of /);
    assert.ok(error.message.includes(fx.url('small')));
    assert.equal(fx.server.faultHits('small'), 1, 'not retried inside the git layer');
    await noGitLeftFor(fx.url('small'));
  });

  it('stops a fetch whose server stops sending halfway, and the next fetch works', async () => {
    const git = source('stall');
    fx.server.setFault('big', { kind: 'stall', afterBytes: 200 * 1024, phase: 'fetch' });
    const error = await timeoutOf(git.resolve(fx.spec('stall', 'big')));
    assert.match(error.message, /^stack "stall": git fetch of .* made no progress for 2s and was stopped \(GIT_TIMEOUT\)/);
    await noGitLeftFor(fx.url('big'));
    fx.server.setFault('big', undefined);
    const revision = await git.resolve(fx.spec('stall', 'big'));
    assert.equal(revision.commit, await fx.repo('big').git('rev-parse', 'HEAD'));
  });

  it('stops a hung command when the process that started it exits', async () => {
    fx.server.setFault('small', { kind: 'hang' });
    // What the daemon does on SIGTERM: finish up, then exit. The hung git must not outlive it.
    const options = { dataDir: fx.dataDir('exiting'), commandTimeoutMs: 3_600_000, retries: 0 };
    const script = `
      import { createGitSource } from ${JSON.stringify(new URL('../../src/git/index.ts', import.meta.url).href)};
      process.on('SIGTERM', () => process.exit(0));
      createGitSource(${JSON.stringify(options)}).resolve(JSON.parse(process.env.SPEC)).catch(() => {});`;
    const env = { ...process.env, SPEC: JSON.stringify(fx.spec('exiting', 'small')) }; // the token stays off argv
    const daemon = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'inherit', env });
    const exited = once(daemon, 'exit');
    await eventually(async () => fx.server.faultHits('small') >= 1, 'the ls-remote to hang');
    assert.ok((await processesMentioning(fx.url('small'))).length > 0, 'git is running');
    daemon.kill('SIGTERM');
    await exited;
    await noGitLeftFor(fx.url('small'));
  });

  it('fails a closed port fast with a network error naming stack and URL, long before GIT_TIMEOUT', async () => {
    const url = await closedPortUrl('gone');
    // With a ten-minute GIT_TIMEOUT, waiting on a refused connection would outlast the test's guard.
    const git = createGitSource({ dataDir: fx.dataDir('dead'), commandTimeoutMs: 600_000, retries: 1, retryMinTimeoutMs: 10 });
    const error = await git.resolve({ ...fx.spec('dead', 'small'), url }).then(() => assert.fail('expected a failure'), (e: unknown) => e);
    assert.ok(error instanceof GitNetworkError, String(error));
    assert.match(error.message, /^stack "dead": repository unreachable for /);
    assert.ok(error.message.includes(url));
    assert.match(error.message, /Failed to connect|Connection refused|Couldn't connect/);
    assert.ok(!error.message.includes(TOKEN));
  });
});
