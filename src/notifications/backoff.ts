// A failed delivery is tried again after each of these delays in turn; after the last one the
// next failure is final. Five attempts by default: at once, then 1 s, 5 s, 30 s and 2 min later.

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000];

export interface RetryPolicy {
  delaysMs: number[];
}

export function maxAttempts(policy: RetryPolicy): number {
  return policy.delaysMs.length + 1;
}

/** The wait before the next attempt after `attempts` failed ones, or null when that was the last. */
export function nextDelayMs(policy: RetryPolicy, attempts: number): number | null {
  if (attempts < 1 || attempts >= maxAttempts(policy)) return null;
  return policy.delaysMs[attempts - 1]!;
}
