import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createGitSource, GitError } from '../../src/git/index.ts';
import { eventually } from '../support/daemon.ts';
import type { FaultPhase } from '../support/git-http-faults.ts';
import { usePrivateServer } from './helpers/private-server-fixture.ts';

const TOKEN = 'tok-slow-9e8d7c6b5a-private';
// Random data does not compress: the pack is as large as the file.
const BIG_BLOB = randomBytes(3 * 1024 * 1024).toString('base64');
const TRICKLE_BYTES_PER_SECOND = 200 * 1024;

describe('a slow git server, and one that hangs beside a healthy one', { timeout: 300_000 }, () => {
  const fx = usePrivateServer(TOKEN, {
    big: () => ({ 'docker-compose.yaml': 'services: {}\n', 'blob.txt': BIG_BLOB }),
    stuck: () => ({ 'docker-compose.yaml': 'services: {}\n' }),
    healthy: () => ({ 'docker-compose.yaml': 'services:\n  app:\n    image: busybox\n' }),
  });

  it('lets a trickling fetch that takes many times GIT_TIMEOUT finish', async () => {
    const gitTimeoutMs = 3_000;
    fx.server.setFault('big', { kind: 'trickle', bytesPerSecond: TRICKLE_BYTES_PER_SECOND, phase: 'fetch' });
    const git = createGitSource({ dataDir: fx.dataDir('trickle'), commandTimeoutMs: gitTimeoutMs, retries: 0 });
    const started = performance.now();
    const revision = await git.resolve(fx.spec('trickle', 'big'));
    const elapsed = performance.now() - started;
    assert.equal(revision.commit, await fx.repo('big').git('rev-parse', 'HEAD'));
    assert.equal(await readFile(join(revision.directory, 'blob.txt'), 'utf8'), BIG_BLOB);
    // A precondition, not a speed check: the trickle makes the transfer this slow by construction.
    assert.ok(elapsed > 2 * gitTimeoutMs, `the fetch took ${Math.round(elapsed)} ms, not clearly longer than GIT_TIMEOUT`);
    assert.equal(fx.server.faultHits('big'), 1, 'one fetch, never stopped and started again');
  });

  for (const phase of ['any', 'fetch'] satisfies FaultPhase[]) {
    it(`resolves another stack's repository while one hangs in ${phase === 'any' ? 'ls-remote' : 'fetch'}`, async () => {
      fx.server.setFault('stuck', { kind: 'hang', phase });
      // A GIT_TIMEOUT far beyond the test's guard: the hung resolve ends only when the fault is released.
      const git = createGitSource({ dataDir: fx.dataDir(`beside-${phase}`), commandTimeoutMs: 3_600_000, retries: 0 });
      let settled = false;
      const hung = git
        .resolve(fx.spec(`stuck-${phase}`, 'stuck'))
        .then((revision) => revision, (error: unknown) => error)
        .finally(() => (settled = true));
      await eventually(async () => fx.server.faultHits('stuck') >= 1, 'the stuck repository to hang a request');

      const revision = await git.resolve(fx.spec(`healthy-${phase}`, 'healthy'));
      assert.equal(revision.commit, await fx.repo('healthy').git('rev-parse', 'HEAD'));
      assert.equal(settled, false, 'the other stack is still hanging');

      // Drop the held connection; curl may ask again on a fresh one, and gets a 503.
      fx.server.failNext(1_000, 503);
      fx.server.setFault('stuck', undefined);
      const outcome: unknown = await hung;
      assert.ok(outcome instanceof GitError, `the released resolve fails with a git error: ${String(outcome)}`);
    });
  }
});
