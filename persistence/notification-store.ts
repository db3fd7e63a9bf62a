import { In, type Repository } from 'typeorm';
import type { Database } from './database.ts';
import {
  NotificationChannelEntity, NotificationDeliveryEntity,
  type NotificationChannelRecord, type NotificationDeliveryRecord,
} from './entities/notification-schemas.ts';

// Notification channels and their deliveries. Writes go through the write queue like every
// other store's; a channel's deletion takes its deliveries with it.

export class NotificationStore {
  private readonly channels: Repository<NotificationChannelRecord>;
  private readonly deliveries: Repository<NotificationDeliveryRecord>;

  constructor(private readonly db: Database) {
    this.channels = db.dataSource.getRepository(NotificationChannelEntity);
    this.deliveries = db.dataSource.getRepository(NotificationDeliveryEntity);
  }

  insertChannel(record: NotificationChannelRecord): Promise<void> {
    return this.db.writes.run(async () => {
      await this.channels.insert(record);
    });
  }

  listChannels(): Promise<NotificationChannelRecord[]> {
    return this.channels.find({ order: { name: 'ASC' } });
  }

  /** By id or by name. */
  async findChannel(idOrName: string): Promise<NotificationChannelRecord | null> {
    return (await this.channels.findOneBy({ id: idOrName })) ?? this.channels.findOneBy({ name: idOrName });
  }

  deleteChannel(id: string): Promise<void> {
    return this.db.writes.run(() => this.db.dataSource.transaction(async (manager) => {
      await manager.getRepository(NotificationDeliveryEntity).delete({ channel_id: id });
      await manager.getRepository(NotificationChannelEntity).delete({ id });
    }));
  }

  insertDelivery(record: NotificationDeliveryRecord): Promise<void> {
    return this.db.writes.run(async () => {
      await this.deliveries.insert(record);
    });
  }

  /** Keeps the newest `keep` deliveries of a channel (pending ones always): history is bounded. */
  pruneDeliveries(channelId: string, keep: number): Promise<void> {
    return this.db.writes.run(async () => {
      await this.db.dataSource.query(
        `DELETE FROM notification_deliveries WHERE channel_id = ? AND status != 'pending' AND id NOT IN
           (SELECT id FROM notification_deliveries WHERE channel_id = ? ORDER BY created_at DESC LIMIT ?)`,
        [channelId, channelId, keep],
      );
    });
  }

  updateDelivery(id: string, patch: Partial<NotificationDeliveryRecord>): Promise<void> {
    return this.db.writes.run(async () => {
      await this.deliveries.update({ id }, patch);
    });
  }

  getDelivery(id: string): Promise<NotificationDeliveryRecord | null> {
    return this.deliveries.findOneBy({ id });
  }

  listDeliveries(channelId: string, limit = 50): Promise<NotificationDeliveryRecord[]> {
    return this.deliveries.find({ where: { channel_id: channelId }, order: { created_at: 'DESC' }, take: limit });
  }

  /** Deliveries an earlier process left unfinished, oldest first (resumed at start). */
  listPending(): Promise<NotificationDeliveryRecord[]> {
    return this.deliveries.find({ where: { status: In(['pending']) }, order: { created_at: 'ASC' } });
  }
}
