// Replay protection: a delivery id seen in the last day is refused. The ids are kept in the
// database (persistence/webhook-delivery-store.ts), so a restart does not forget them.

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

export interface DeliveryClaims {
  /** Records the key until expiresAt; false when it is recorded already (a replay). */
  claim(key: string, now: Date, expiresAt: Date): Promise<boolean>;
}

export class DeliveryLog {
  constructor(private readonly claims: DeliveryClaims, private readonly ttlMs = DEFAULT_TTL_MS) {}

  /** Records the delivery; true when the same provider sent this id before (a replay). */
  async isReplay(provider: string, deliveryId: string, now = Date.now()): Promise<boolean> {
    const key = `${provider}:${deliveryId.slice(0, 200)}`;
    return !(await this.claims.claim(key, new Date(now), new Date(now + this.ttlMs)));
  }
}
