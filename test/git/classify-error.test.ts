import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyGitError } from '../../src/git/classify-error.ts';
import {
  GitAuthError,
  GitCommandError,
  GitHostKeyError,
  GitNetworkError,
  GitRefNotFoundError,
  GitRepositoryNotFoundError,
} from '../../src/git/errors.ts';

const ctx = { stack: 'web', url: 'https://git.example.com/org/app.git', ref: 'main', secrets: ['tok-secret-123'] };
const classify = (stderr: string) => classifyGitError(new Error(stderr), ctx);

describe('classifyGitError', () => {
  it('reads a failed HTTP login as a permanent GitAuthError', () => {
    const error = classify("fatal: Authentication failed for 'https://git.example.com/org/app.git/'");
    assert.ok(error instanceof GitAuthError);
    assert.equal(error.permanent, true);
  });

  it('reads an SSH publickey refusal as GitAuthError, not a network error', () => {
    const error = classify('git@host: Permission denied (publickey).\nfatal: Could not read from remote repository.');
    assert.ok(error instanceof GitAuthError);
  });

  it('reads a 404 as GitRepositoryNotFoundError', () => {
    assert.ok(classify("fatal: repository 'https://git.example.com/x.git/' not found") instanceof GitRepositoryNotFoundError);
  });

  it('reads a missing remote ref as GitRefNotFoundError', () => {
    assert.ok(classify("fatal: couldn't find remote ref refs/heads/nope") instanceof GitRefNotFoundError);
  });

  it('reads a refused connection as a transient GitNetworkError', () => {
    const error = classify("fatal: unable to access 'https://h/': Failed to connect to h port 443: Connection refused");
    assert.ok(error instanceof GitNetworkError);
    assert.equal(error.permanent, false);
  });

  it('reads a 503 from the server as a transient GitNetworkError', () => {
    assert.ok(classify('error: RPC failed; HTTP 503 curl 22 The requested URL returned error: 503') instanceof GitNetworkError);
  });

  it('reads a changed host key as GitHostKeyError', () => {
    assert.ok(classify('Host key verification failed.\nfatal: Could not read from remote repository.') instanceof GitHostKeyError);
  });

  it('keeps unknown failures retryable as GitCommandError', () => {
    const error = classify('fatal: something nobody has seen');
    assert.ok(error instanceof GitCommandError);
    assert.equal(error.permanent, false);
  });

  it('names the stack, the URL and the ref in the message', () => {
    const { message } = classify('fatal: Authentication failed');
    assert.match(message, /stack "web"/);
    assert.match(message, /https:\/\/git\.example\.com\/org\/app\.git/);
    assert.match(message, /ref main/);
  });

  it('removes the secrets from git output it quotes', () => {
    const { message } = classify("fatal: unable to access 'https://u:tok-secret-123@h/': Connection refused");
    assert.ok(!message.includes('tok-secret-123'));
  });
});
