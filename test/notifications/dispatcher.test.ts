import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EventBus } from '../../actors/event-bus.ts';
import { openDatabase } from '../../persistence/database.ts';
import { NotificationStore } from '../../persistence/notification-store.ts';
import { NotificationChannels } from '../../src/notifications/channels.ts';
import { NotificationDispatcher } from '../../src/notifications/dispatcher.ts';
import type { NotificationSender, SendableChannel } from '../../src/notifications/sender.ts';
import type { NotificationPayload } from '../../src/notifications/types.ts';
import { silentLogger } from '../../src/logger.ts';
import { createSecretBox } from '../../src/secrets/index.ts';
import { quickly } from '../support/eventually.ts';
import { tempDir } from '../persistence/helpers.ts';

// The dispatcher around a real SQLite file with a sender behind its interface: what a stop
// leaves pending, the next start sends.

/** A sender whose sends wait until the test lets them go (or the dispatcher aborts them). */
function gatedSender() {
  const sent: Array<{ channel: SendableChannel; payload: NotificationPayload }> = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const sender: NotificationSender = {
    async send(channel, payload, signal) {
      await new Promise<void>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        void gate.then(resolve);
      });
      sent.push({ channel, payload });
    },
  };
  return { sender, sent, open: () => release() };
}

async function setUp(t: { after(fn: () => Promise<void>): void }) {
  const dir = await tempDir(t, 'accelero-notify-');
  const db = await openDatabase(join(dir, 'accelero.db'));
  t.after(() => db.close());
  const secrets = createSecretBox({ dataDir: dir });
  const store = new NotificationStore(db);
  const dispatcher = (sender: NotificationSender) => new NotificationDispatcher({ store, secrets, sender, logger: silentLogger(), retry: { delaysMs: [10] } });
  return { store, secrets, dispatcher };
}

const rolledBack = { kind: 'deployment_end' as const, stack_id: 's-1', stack_name: 'shop', deployment_id: 'dep-1', status: 'rolled_back', message: 'exit 3', git_commit: 'abc', at: new Date().toISOString() };

describe('notification dispatcher', () => {
  test('a delivery a stopped daemon left pending is sent by the next start, the same payload', async (t) => {
    const { store, secrets, dispatcher } = await setUp(t);
    const first = gatedSender();
    const before = dispatcher(first.sender);
    const channels = new NotificationChannels({ store, secrets, dispatcher: before });
    const channel = await channels.create({ name: 'ops', type: 'webhook', url: 'https://hooks.example.com/x', secret: 'sixteen-chars-secret' });
    const bus = new EventBus();
    before.attach(bus);
    bus.publish(rolledBack);
    const [pending] = await quickly(async () => {
      const list = await store.listDeliveries(channel.id);
      return list.length === 1 ? list : undefined;
    }, 'the delivery row');
    await before.stop();
    assert.equal((await store.getDelivery(pending!.id))!.status, 'pending');
    assert.equal(first.sent.length, 0);

    const second = gatedSender();
    second.open();
    const after = dispatcher(second.sender);
    assert.equal(await after.resume(), 1);
    const delivered = await quickly(async () => {
      const row = await store.getDelivery(pending!.id);
      return row?.status === 'delivered' ? row : undefined;
    }, 'the resumed delivery');
    assert.equal(delivered.attempts, 1);
    assert.equal(second.sent[0]!.payload.id, pending!.id);
    assert.equal(second.sent[0]!.payload.event, 'deployment_rolled_back');
    assert.equal(second.sent[0]!.channel.secrets.secret, 'sixteen-chars-secret');
    await after.stop();
  });

});

describe('notification delivery history', () => {
  test('keeps the newest deliveries of a channel and every pending one', async (t) => {
    const { store } = await setUp(t);
    const row = (i: number, status: 'pending' | 'delivered' | 'failed') => ({
      id: `d-${i}`, channel_id: 'c-1', event: 'test', stack_id: null, stack_name: null, payload: '{}', status, attempts: 1, last_error: null,
      next_attempt_at: null, created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), delivered_at: null,
    });
    await store.insertDelivery(row(0, 'pending'));
    for (let i = 1; i <= 5; i++) await store.insertDelivery(row(i, i % 2 ? 'delivered' : 'failed'));
    await store.insertDelivery({ ...row(9, 'delivered'), channel_id: 'c-2' });
    await store.pruneDeliveries('c-1', 2);
    assert.deepEqual((await store.listDeliveries('c-1')).map((d) => d.id), ['d-5', 'd-4', 'd-0']);
    assert.equal((await store.listDeliveries('c-2')).length, 1);
  });
});

describe('a channel sealed with another key', () => {
  test('fails its delivery at once, saying why, instead of retrying', async (t) => {
    const { store, secrets, dispatcher } = await setUp(t);
    const sender = gatedSender();
    sender.open();
    const notifier = dispatcher(sender.sender);
    const channels = new NotificationChannels({ store, secrets, dispatcher: notifier });
    const channel = await channels.create({ name: 'ops', type: 'slack', url: 'https://hooks.slack.com/services/x' });
    const other = createSecretBox({ dataDir: await tempDir(t, 'accelero-other-key-') });
    const record = (await store.findChannel(channel.id))!;
    await store.deleteChannel(channel.id);
    await store.insertChannel({ ...record, secrets_sealed: other.encrypt('{}') });
    const delivery = await channels.test('ops');
    const failed = await quickly(async () => {
      const row = await store.getDelivery(delivery.id);
      return row?.status === 'failed' ? row : undefined;
    }, 'the delivery to fail');
    assert.equal(failed.attempts, 1);
    assert.match(failed.last_error!, /cannot be opened with this encryption key/);
    assert.equal(sender.sent.length, 0);
    await notifier.stop();
  });
});
