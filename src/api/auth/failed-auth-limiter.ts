import { RateLimiterMemory } from 'rate-limiter-flexible';

// Failed authentications per client address: a wrong X-API-KEY costs a point; an address out
// of points is refused (429 with Retry-After) for every request that presents a key until its
// window ends, whether the key is right or not, so guessing cannot go on more slowly either.

export interface FailedAuthLimits {
  /** Wrong keys an address may send per window. */
  attempts: number;
  windowSeconds: number;
}

export const DEFAULT_FAILED_AUTH_LIMITS: FailedAuthLimits = { attempts: 10, windowSeconds: 60 };

export class FailedAuthLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly limits: FailedAuthLimits = DEFAULT_FAILED_AUTH_LIMITS) {
    this.limiter = new RateLimiterMemory({ points: limits.attempts, duration: limits.windowSeconds });
  }

  /** Seconds until this address may try again; 0 when it may now. */
  async blockedFor(address: string): Promise<number> {
    const state = await this.limiter.get(address);
    if (!state || state.consumedPoints < this.limits.attempts) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  async recordFailure(address: string): Promise<void> {
    // consume rejects once the points are spent; the state it keeps is what blockedFor reads.
    await this.limiter.consume(address).catch(() => undefined);
  }
}
