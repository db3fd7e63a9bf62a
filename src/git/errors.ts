import { AcceleroError } from '../errors.ts';

// Git errors name the stack, the URL without credentials and the ref. `permanent` errors
// are not retried (auth, not found); the others are, with backoff.

export class GitError extends AcceleroError {
  readonly permanent: boolean;
  constructor(message: string, code: string, permanent: boolean, options?: { cause?: unknown }) {
    super(message, code, 502, options);
    this.permanent = permanent;
  }
}

/** A kind of git failure: its code, and whether a retry could help. */
function gitFailure(code: string, permanent: boolean) {
  return class extends GitError {
    constructor(message: string) {
      super(message, code, permanent);
    }
  };
}

export class GitAuthError extends gitFailure('git_auth_failed', true) {}
export class GitRepositoryNotFoundError extends gitFailure('git_repository_not_found', true) {}
export class GitRefNotFoundError extends gitFailure('git_ref_not_found', true) {}
export class GitNetworkError extends gitFailure('git_unreachable', false) {}
export class ComposeFileNotFoundError extends gitFailure('compose_file_not_found', true) {}
export class PathEscapeError extends gitFailure('path_escape', true) {}
/** The SSH server's host key is unknown (strict checking) or does not match known_hosts. */
export class GitHostKeyError extends gitFailure('git_host_key_failed', true) {}

/**
 * A command that talks to the server made no progress for GIT_TIMEOUT and was stopped.
 * Transient (the stack's next cycle tries again, with the stack machine's backoff), but the
 * git layer does not retry it itself: one hung server must not hold a stack for retries × timeout.
 */
export class GitTimeoutError extends GitError {
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number) {
    super(message, 'git_timeout', false);
    this.timeoutMs = timeoutMs;
  }
}

/** A git failure that matches no known kind; treated as transient and retried. */
export class GitCommandError extends gitFailure('git_failed', false) {}
