// Replay protection: a delivery id seen in the last day is refused. Bounded, in memory: after a
// restart an old delivery could be replayed once, which at worst redeploys what git declares.

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_ENTRIES = 50_000;

export class DeliveryLog {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs = DEFAULT_TTL_MS, private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  /** Records the delivery; true when the same provider sent this id before (a replay). */
  isReplay(provider: string, deliveryId: string, now = Date.now()): boolean {
    const key = `${provider}:${deliveryId.slice(0, 200)}`;
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > now) return true;
    this.seen.set(key, now + this.ttlMs);
    this.evict(now);
    return false;
  }

  private evict(now: number): void {
    if (this.seen.size <= this.maxEntries) return;
    for (const [key, expires] of this.seen) {
      if (expires <= now || this.seen.size > this.maxEntries) this.seen.delete(key);
      else break;
    }
  }
}
