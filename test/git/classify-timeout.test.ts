import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyGitError, isMirrorDamage } from '../../src/git/classify-error.ts';
import { GitTimeoutError, type GitError } from '../../src/git/errors.ts';
import { withGitRetry } from '../../src/git/retry.ts';
import { GitNoProgressError } from '../../src/git/run-remote-git.ts';

const ctx = { stack: 'web', url: 'https://git.example.com/org/app.git', ref: 'main', secrets: ['tok-secret-123'] };

describe('a git command stopped for making no progress', () => {
  it('becomes a transient GitTimeoutError naming the stack, the URL, the command and GIT_TIMEOUT', () => {
    const error = classifyGitError(new GitNoProgressError('fetch', 120_000, undefined), ctx);
    assert.ok(error instanceof GitTimeoutError);
    assert.equal(error.code, 'git_timeout');
    assert.equal(error.permanent, false);
    assert.equal(error.timeoutMs, 120_000);
    assert.equal(
      error.message,
      'stack "web": git fetch of https://git.example.com/org/app.git (ref main) made no progress for 2m and was stopped (GIT_TIMEOUT)',
    );
  });

  it('writes the timeout the way GIT_TIMEOUT is written', () => {
    const text = (ms: number) => classifyGitError(new GitNoProgressError('ls-remote', ms, undefined), ctx).message;
    assert.match(text(30_000), /no progress for 30s /);
    assert.match(text(90_000), /no progress for 1m30s /);
    assert.match(text(1_500), /no progress for 1.5s /);
    assert.match(text(250), /no progress for 250ms /);
  });

  it('quotes the last progress line without secrets', () => {
    const last = 'Receiving objects: 50% (2/4), 1.54 MiB | tok-secret-123';
    const { message } = classifyGitError(new GitNoProgressError('fetch', 2_000, last), ctx);
    assert.match(message, /last progress: Receiving objects: 50% \(2\/4\), 1\.54 MiB/);
    assert.ok(!message.includes('tok-secret-123'));
  });

  it('does not blame the mirror, which would be deleted and fetched again', () => {
    assert.equal(isMirrorDamage(new GitNoProgressError('fetch', 2_000, 'Receiving objects: 3% (1/30), packfile')), false);
  });

  it('is not retried inside the git layer, unlike other transient failures', async () => {
    let attempts = 0;
    const retried: GitError[] = [];
    const policy = { retries: 3, minTimeoutMs: 1 };
    const hooks = { onRetry: (error: GitError) => retried.push(error) };
    const hung = withGitRetry(async () => {
      attempts += 1;
      throw new GitNoProgressError('fetch', 2_000, undefined);
    }, ctx, policy, hooks);
    await assert.rejects(hung, GitTimeoutError);
    assert.equal(attempts, 1);
    assert.deepEqual(retried, []);

    attempts = 0;
    const refused = withGitRetry(async () => {
      attempts += 1;
      throw new Error("fatal: unable to access 'https://h/': Failed to connect to h port 443: Connection refused");
    }, ctx, policy);
    await assert.rejects(refused);
    assert.equal(attempts, 4);
  });
});
