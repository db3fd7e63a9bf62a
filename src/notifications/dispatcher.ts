import { randomUUID } from 'node:crypto';
import type { AcceleroEvent, EventBus } from '../../actors/event-bus.ts';
import type { NotificationChannelRecord, NotificationDeliveryRecord } from '../../persistence/entities/notification-schemas.ts';
import type { NotificationStore } from '../../persistence/notification-store.ts';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { SecretBox } from '../secrets/index.ts';
import { nextDelayMs, type RetryPolicy } from './backoff.ts';
import { NotificationEvents, type NotificationFacts } from './event-mapping.ts';
import { channelWants } from './matching.ts';
import { redactSecrets } from './redact.ts';
import type { NotificationSender } from './sender.ts';
import type { ChannelSecrets, ChannelType, NotificationEventName, NotificationPayload } from './types.ts';

// Turns bus events into deliveries and sends them off the deploy's path: the bus listener only
// starts an async job, each delivery is a row (pending → delivered | failed) updated on every
// attempt, and a failed attempt is tried again after the retry policy's delay. Rows still
// pending when the daemon stops are resumed by the next start (`resume`), at their
// next_attempt_at, so a restart loses no notification and sends none twice once delivered.

/** Deliveries kept per channel (the newest; pending ones are never pruned). */
export const DELIVERIES_KEPT = 200;

export interface DispatcherDeps {
  store: NotificationStore;
  secrets: Pick<SecretBox, 'decrypt'>;
  sender: NotificationSender;
  logger: Logger;
  retry: RetryPolicy;
}

export class NotificationDispatcher {
  private readonly events = new NotificationEvents();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private readonly deps: DispatcherDeps) {}

  /** Listens on the bus; the listener never waits for a send or a write. */
  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => this.onEvent(event));
  }

  onEvent(event: AcceleroEvent): void {
    const facts = this.events.factsOf(event);
    if (!facts || this.stopped) return;
    this.track(this.fanOut(facts));
  }

  /** Deliveries pending from an earlier process, each at its own next attempt. */
  async resume(): Promise<number> {
    const pending = await this.deps.store.listPending();
    for (const delivery of pending) {
      const due = delivery.next_attempt_at ? Date.parse(delivery.next_attempt_at) - Date.now() : 0;
      this.schedule(delivery.id, Math.max(0, due));
    }
    return pending.length;
  }

  /** POST …/test: one `test` delivery to this channel, whatever its events and stacks. */
  async sendTest(channel: NotificationChannelRecord): Promise<NotificationDeliveryRecord> {
    const facts = { event: 'test' as const, stack: null, deployment_id: null, status: null, message: `test notification for channel ${channel.name}`, git_commit: null, at: new Date().toISOString() };
    return this.createDelivery(channel, facts);
  }

  /** Stops sending: timers cleared, sends in flight aborted; their rows stay pending for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.abort.abort(new Error('the daemon is stopping'));
    await Promise.allSettled([...this.inFlight]);
  }

  private async fanOut(facts: NotificationFacts): Promise<void> {
    const channels = await this.deps.store.listChannels();
    for (const channel of channels) {
      if (channelWants({ events: channel.events as NotificationEventName[], stacks: channel.stacks }, facts.event as NotificationEventName, facts.stack)) {
        await this.createDelivery(channel, facts);
      }
    }
  }

  private async createDelivery(channel: NotificationChannelRecord, facts: Omit<NotificationPayload, 'id'>): Promise<NotificationDeliveryRecord> {
    const id = randomUUID();
    const payload: NotificationPayload = { id, ...facts };
    const record: NotificationDeliveryRecord = {
      id, channel_id: channel.id, event: facts.event, stack_id: facts.stack?.id ?? null, stack_name: facts.stack?.name ?? null,
      payload: JSON.stringify(payload), status: 'pending', attempts: 0, last_error: null, next_attempt_at: new Date().toISOString(),
      created_at: new Date().toISOString(), delivered_at: null,
    };
    await this.deps.store.insertDelivery(record);
    await this.deps.store.pruneDeliveries(channel.id, DELIVERIES_KEPT);
    this.schedule(id, 0);
    return record;
  }

  private schedule(deliveryId: string, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.attempt(deliveryId));
    }, delayMs);
    this.timers.add(timer);
  }

  private track(work: Promise<void>): void {
    const job = work.catch((error) => {
      if (!this.stopped) this.deps.logger.error({ component: 'notifications', err: errorMessage(error) }, 'notification dispatch failed');
    });
    this.inFlight.add(job);
    void job.finally(() => this.inFlight.delete(job));
  }

  private async attempt(deliveryId: string): Promise<void> {
    const { store } = this.deps;
    const delivery = await store.getDelivery(deliveryId);
    if (!delivery || delivery.status !== 'pending' || this.stopped) return;
    const channel = await store.findChannel(delivery.channel_id);
    if (!channel) return store.updateDelivery(deliveryId, { status: 'failed', last_error: 'the channel was deleted', next_attempt_at: null });
    const attempts = delivery.attempts + 1;
    const secrets = this.openSecrets(channel);
    if (!secrets) {
      // Sealed with another key (ACCELERO_ENCRYPTION_KEY changed): no retry can open them.
      return store.updateDelivery(deliveryId, { status: 'failed', attempts, last_error: 'the channel\'s credentials cannot be opened with this encryption key: create the channel again', next_attempt_at: null });
    }
    try {
      await this.deps.sender.send({ type: channel.type as ChannelType, secrets, settings: channel.settings }, JSON.parse(delivery.payload) as NotificationPayload, this.abort.signal);
    } catch (error) {
      if (this.stopped) return;
      return this.recordFailure(channel, delivery, attempts, redactSecrets(errorMessage(error), secrets));
    }
    await store.updateDelivery(deliveryId, { status: 'delivered', attempts, last_error: null, next_attempt_at: null, delivered_at: new Date().toISOString() });
  }

  private openSecrets(channel: NotificationChannelRecord): ChannelSecrets | undefined {
    try {
      return JSON.parse(this.deps.secrets.decrypt(channel.secrets_sealed)) as ChannelSecrets;
    } catch {
      return undefined;
    }
  }

  private async recordFailure(channel: NotificationChannelRecord, delivery: NotificationDeliveryRecord, attempts: number, reason: string): Promise<void> {
    const delay = nextDelayMs(this.deps.retry, attempts);
    const next = delay === null ? null : new Date(Date.now() + delay).toISOString();
    await this.deps.store.updateDelivery(delivery.id, { status: delay === null ? 'failed' : 'pending', attempts, last_error: reason, next_attempt_at: next });
    const retry = delay === null ? 'giving up' : `retrying in ${delay} ms`;
    this.deps.logger.warn({ component: 'notifications', channel: channel.name, delivery: delivery.id, attempts }, `notification ${delivery.event} to channel ${channel.name} failed (attempt ${attempts}): ${reason}; ${retry}`);
    if (delay !== null) this.schedule(delivery.id, delay);
  }
}
