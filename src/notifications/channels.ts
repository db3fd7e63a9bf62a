import { randomUUID } from 'node:crypto';
import type { NotificationChannelRecord, NotificationDeliveryRecord } from '../../persistence/entities/notification-schemas.ts';
import type { NotificationStore } from '../../persistence/notification-store.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { SecretBox } from '../secrets/index.ts';
import type { CreateChannelInput } from './channel-schema.ts';
import type { NotificationDispatcher } from './dispatcher.ts';
import { NOTIFICATION_EVENTS, type ChannelSecrets, type ChannelSettings } from './types.ts';

// What the API does with channels: creates them with their credentials sealed (the URL of a
// Slack, Discord or Teams hook is a credential too), and shows them without any.

export interface ChannelView {
  id: string; name: string; type: string; events: string[]; stacks: string[] | null;
  host: string; has_secret: boolean; from: string | null; to: string[] | null; created_at: string; updated_at: string;
}

export interface DeliveryView {
  id: string; channel_id: string; event: string; stack: { id: string; name: string } | null; status: string;
  attempts: number; last_error: string | null; next_attempt_at: string | null; created_at: string; delivered_at: string | null;
}

export class NotificationChannels {
  constructor(private readonly deps: { store: NotificationStore; secrets: Pick<SecretBox, 'encrypt'>; dispatcher: NotificationDispatcher }) {}

  async create(input: CreateChannelInput): Promise<ChannelView> {
    if ((await this.deps.store.listChannels()).some((c) => c.name === input.name)) {
      throw new ConflictError(`a notification channel named "${input.name}" already exists`);
    }
    const secrets: ChannelSecrets = input.type === 'email' ? { smtp_url: input.smtp_url } : { url: input.url, ...(input.secret ? { secret: input.secret } : {}) };
    const now = new Date().toISOString();
    const record: NotificationChannelRecord = {
      id: randomUUID(), name: input.name, type: input.type, events: input.events ? [...new Set(input.events)] : [...NOTIFICATION_EVENTS],
      stacks: input.stacks ?? null, secrets_sealed: this.deps.secrets.encrypt(JSON.stringify(secrets)),
      settings: settingsOf(input), created_at: now, updated_at: now,
    };
    await this.deps.store.insertChannel(record);
    return present(record);
  }

  async list(): Promise<ChannelView[]> {
    return (await this.deps.store.listChannels()).map(present);
  }

  async get(idOrName: string): Promise<ChannelView> {
    return present(await this.find(idOrName));
  }

  async delete(idOrName: string): Promise<void> {
    await this.deps.store.deleteChannel((await this.find(idOrName)).id);
  }

  async deliveries(idOrName: string, limit?: number): Promise<DeliveryView[]> {
    const channel = await this.find(idOrName);
    return (await this.deps.store.listDeliveries(channel.id, limit)).map(presentDelivery);
  }

  async test(idOrName: string): Promise<DeliveryView> {
    return presentDelivery(await this.deps.dispatcher.sendTest(await this.find(idOrName)));
  }

  private async find(idOrName: string): Promise<NotificationChannelRecord> {
    const channel = await this.deps.store.findChannel(idOrName);
    if (!channel) throw new NotFoundError(`notification channel "${idOrName.slice(0, 100)}" not found`);
    return channel;
  }
}

/** What may be shown: the host (never a path, which for Slack is the token, nor credentials). */
function settingsOf(input: CreateChannelInput): ChannelSettings {
  const url = new URL(input.type === 'email' ? input.smtp_url! : input.url!);
  return input.type === 'email' ? { host: url.host, from: input.from, to: input.to } : { host: url.host };
}

function present(record: NotificationChannelRecord): ChannelView {
  return {
    id: record.id, name: record.name, type: record.type, events: record.events, stacks: record.stacks, host: record.settings.host,
    has_secret: record.type === 'webhook', from: record.settings.from ?? null, to: record.settings.to ?? null,
    created_at: record.created_at, updated_at: record.updated_at,
  };
}

function presentDelivery(record: NotificationDeliveryRecord): DeliveryView {
  return {
    id: record.id, channel_id: record.channel_id, event: record.event,
    stack: record.stack_id ? { id: record.stack_id, name: record.stack_name ?? '' } : null,
    status: record.status, attempts: record.attempts, last_error: record.last_error, next_attempt_at: record.next_attempt_at,
    created_at: record.created_at, delivered_at: record.delivered_at,
  };
}
