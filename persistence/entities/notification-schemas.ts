import { EntitySchema } from 'typeorm';
import { id, json, name, text, time } from './columns.ts';

// Notification channels and every delivery to them. A channel's credentials (URL, webhook
// secret, SMTP URL) are one sealed JSON value; `settings` holds only what may be shown.

export interface NotificationChannelRecord {
  id: string;
  name: string;
  type: string;
  events: string[];
  stacks: string[] | null;
  secrets_sealed: string;
  settings: { host: string; from?: string; to?: string[] };
  created_at: string;
  updated_at: string;
}

export type NotificationDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface NotificationDeliveryRecord {
  id: string;
  channel_id: string;
  event: string;
  stack_id: string | null;
  stack_name: string | null;
  /** The payload as JSON text (the same bytes on every attempt, also after a restart). */
  payload: string;
  status: NotificationDeliveryStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}


export const NotificationChannelEntity = new EntitySchema<NotificationChannelRecord>({
  name: 'NotificationChannel',
  tableName: 'notification_channels',
  columns: {
    id, name: { ...name(), unique: true }, type: name(),
    events: json(), stacks: json(true), secrets_sealed: text(), settings: json(), created_at: time(), updated_at: time(),
  },
});

export const NotificationDeliveryEntity = new EntitySchema<NotificationDeliveryRecord>({
  name: 'NotificationDelivery',
  tableName: 'notification_deliveries',
  columns: {
    id, channel_id: name(), event: name(), stack_id: name(true),
    stack_name: name(true), payload: text(), status: name(), attempts: { type: 'integer' }, last_error: text(true),
    next_attempt_at: time(true), created_at: time(), delivered_at: time(true),
  },
  indices: [
    { name: 'idx_notification_deliveries_channel', columns: ['channel_id', 'created_at'] },
    { name: 'idx_notification_deliveries_status', columns: ['status'] },
  ],
});
