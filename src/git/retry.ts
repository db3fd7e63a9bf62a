import pRetry from 'p-retry';
import { classifyGitError, type ErrorContext } from './classify-error.ts';
import { GitTimeoutError, type GitError } from './errors.ts';

export interface RetryPolicy {
  /** Extra attempts after the first for transient failures (network, 5xx, unknown). */
  retries: number;
  minTimeoutMs: number;
}

export interface RetryHooks {
  onRetry?: (error: GitError, attempt: number) => void;
}

/**
 * Transient failures are retried here, except a timeout: the attempt already waited
 * GIT_TIMEOUT, and the stack machine retries the whole cycle with its own backoff.
 */
function retriedHere(error: GitError): boolean {
  return !error.permanent && !(error instanceof GitTimeoutError);
}

/** Runs a git operation; classifies failures; retries only the transient ones, with backoff. */
export async function withGitRetry<T>(
  operation: () => Promise<T>,
  ctx: ErrorContext,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await operation();
      } catch (error) {
        throw classifyGitError(error, ctx);
      }
    },
    {
      retries: policy.retries,
      minTimeout: policy.minTimeoutMs,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => retriedHere(error as GitError),
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft > 0 && retriedHere(error as GitError)) hooks.onRetry?.(error as GitError, attemptNumber);
      },
    },
  );
}
