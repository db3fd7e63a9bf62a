import { LessThan } from 'typeorm';
import type { Database } from './database.ts';
import { WebhookDeliveryEntity } from './entities/schemas.ts';

// Webhook delivery ids seen recently, so a replayed delivery is refused across restarts too.
// Rows expire; expired ones are removed as new ones come in (deliveries are verified first, so
// only signed or key-carrying requests write here).

export class WebhookDeliveryStore {
  constructor(private readonly db: Database) {}

  /** Records the key until `expiresAt`; false when it is already recorded and not expired (a replay). */
  claim(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    return this.db.writes.run(() => this.db.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(WebhookDeliveryEntity);
      await repo.delete({ expires_at: LessThan(now.toISOString()) });
      if (await repo.findOneBy({ delivery_key: key })) return false;
      await repo.insert({ delivery_key: key, expires_at: expiresAt.toISOString() });
      return true;
    }));
  }
}
