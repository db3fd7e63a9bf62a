// Waiting for a positive signal: a test polls for what it expects instead of sleeping.

/** Polls until `check` returns a truthy value or the (generous) timeout guards a hang. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>, what: string, timeoutMs = 120_000, intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

/** `eventually` for in-process tests: fakes answer within milliseconds, so it polls every 20 ms. */
export function quickly<T>(check: () => Promise<T | undefined | false>, what: string): Promise<T> {
  return eventually(check, what, 60_000, 20);
}
