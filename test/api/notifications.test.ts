import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifySignature } from '../../src/notifications/signature.ts';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { quickly } from '../support/eventually.ts';
import { driftItem, fakeEngine, stackDiff } from '../support/fake-engine.ts';
import { startHttpReceiver, type HttpReceiver } from '../support/notification-receivers.ts';
import { createApiKey, createStack, finished, withKey } from './helpers.ts';

// /api/v1/notifications in-process (fake git and Docker, real SQLite, real HTTP receivers):
// validation naming the field, credentials never answered nor logged, admin only, and
// deliveries with their attempts (retry delays of 10 and 20 ms here).

const SECRET = 'webhook-secret-0123456789';
const SLACK_TOKEN = 'T000/B000/slacktokenXYZ';

interface Delivery { id: string; event: string; status: string; attempts: number; last_error: string | null; stack: { name: string } | null }

describe('notification channels API', () => {
  let api: TestApi;
  let receiver: HttpReceiver;

  before(async () => {
    api = await startTestApi();
    receiver = await startHttpReceiver([200]);
  });

  after(async () => {
    await api?.close();
    await receiver?.close();
  });

  const create = (body: Record<string, unknown>) => api.request('POST', '/api/v1/notifications', body);
  const deliveries = async (channel: string) => (await api.request<Delivery[]>('GET', `/api/v1/notifications/${channel}/deliveries`)).body;
  const settledDeliveries = (channel: string, count: number) => quickly(async () => {
    const list = await deliveries(channel);
    return list.length >= count && list.every((d) => d.status !== 'pending') ? list : undefined;
  }, `${count} finished deliveries of ${channel}`);

  test('refuses bad input, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'a', type: 'slack' }, 'url'],
      [{ name: 'a', type: 'slack', url: 'ftp://example.com/x' }, 'url'],
      [{ name: 'a', type: 'webhook', url: 'https://example.com/hook' }, 'secret'],
      [{ name: 'a', type: 'webhook', url: 'https://example.com/hook', secret: 'short' }, 'secret'],
      [{ name: 'a', type: 'pager', url: 'https://example.com/hook' }, 'type'],
      [{ name: 'a', type: 'slack', url: 'https://example.com/hook', events: ['deployment_exploded'] }, 'events.0'],
      [{ name: 'a', type: 'email', smtp_url: 'smtp://mail:25', from: 'ops@example.com' }, 'to'],
      [{ name: 'a', type: 'email', smtp_url: 'http://mail:25', from: 'ops@example.com', to: ['a@example.com'] }, 'smtp_url'],
      [{ name: 'a', type: 'email', smtp_url: 'smtp://mail:25', from: 'not an address', to: ['a@example.com'] }, 'from'],
      [{ name: '', type: 'slack', url: 'https://example.com/hook' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const { status, body: answer } = await create(body);
      assert.equal(status, 400, JSON.stringify(body));
      assert.equal(answer.field, field, `${JSON.stringify(body)} → ${answer.error}`);
    }
    const unknown = await create({ name: 'a', type: 'slack', url: 'https://example.com/hook', colour: 'red' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error, /colour/);
  });

  test('never answers a channel credential: webhook secret, hook URL path, SMTP password', async () => {
    const created = [
      await create({ name: 'sign', type: 'webhook', url: `${receiver.url}/hook?token=querytoken`, secret: SECRET }),
      await create({ name: 'chat', type: 'slack', url: `https://hooks.slack.com/services/${SLACK_TOKEN}` }),
      await create({ name: 'mail', type: 'email', smtp_url: 'smtp://ops:mailpass99@127.0.0.1:2525', from: 'accelero@example.com', to: ['ops@example.com'] }),
    ];
    for (const answer of created) assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(created[0]!.body.has_secret, true);
    assert.equal(created[1]!.body.host, 'hooks.slack.com');
    assert.equal(created[2]!.body.host, '127.0.0.1:2525');
    assert.deepEqual(created[2]!.body.events, ['deployment_succeeded', 'deployment_failed', 'deployment_rolled_back', 'drift_detected', 'stack_failed']);
    const answers = JSON.stringify([...created.map((c) => c.body), (await api.request('GET', '/api/v1/notifications')).body, (await api.request('GET', '/api/v1/notifications/chat')).body]);
    for (const leaked of [SECRET, 'slacktokenXYZ', 'services', 'mailpass99', 'querytoken']) assert.doesNotMatch(answers, new RegExp(leaked));
    assert.equal((await create({ name: 'chat', type: 'discord', url: 'https://discord.com/api/webhooks/1/x' })).status, 409);
  });

  test('is for admins only', async () => {
    const { key } = await createApiKey(api, 'notify-operator', 'operator');
    for (const [method, path] of [['GET', '/api/v1/notifications'], ['POST', '/api/v1/notifications'], ['POST', '/api/v1/notifications/sign/test'], ['GET', '/api/v1/notifications/sign/deliveries']] as const) {
      assert.equal((await api.request(method, path, method === 'POST' ? {} : undefined, withKey(key))).status, 403, `${method} ${path}`);
    }
  });

  test('a test send reaches the receiver signed with the channel secret', async () => {
    const sent = await api.request('POST', '/api/v1/notifications/sign/test');
    assert.equal(sent.status, 202);
    const [delivery] = await settledDeliveries('sign', 1);
    assert.equal(delivery!.status, 'delivered');
    const request = receiver.requests.find((r) => r.headers['x-accelero-delivery'] === sent.body.id)!;
    assert.equal(request.path, '/hook?token=querytoken');
    assert.equal(request.headers['x-accelero-event'], 'test');
    assert.equal(verifySignature(SECRET, request.body, request.headers['x-accelero-signature'] as string), true);
    assert.equal(JSON.parse(request.body).event, 'test');
  });

  test('a completed deployment notifies the channels whose stacks filter it passes', async () => {
    await createStack(api, 'notify-shop');
    await create({ name: 'shop-only', type: 'webhook', url: `${receiver.url}/shop`, secret: SECRET, stacks: ['notify-shop'], events: ['deployment_succeeded'] });
    await create({ name: 'billing-only', type: 'webhook', url: `${receiver.url}/billing`, secret: SECRET, stacks: ['billing'] });
    const { body } = await api.request('POST', '/api/v1/stacks/notify-shop/deploy');
    assert.equal((await finished(api, 'notify-shop', body.deployment_id)).status, 'completed');
    const [delivery] = await settledDeliveries('shop-only', 1);
    assert.deepEqual([delivery!.event, delivery!.status, delivery!.attempts, delivery!.stack?.name], ['deployment_succeeded', 'delivered', 1, 'notify-shop']);
    const payload = JSON.parse(receiver.requests.find((r) => r.path === '/shop')!.body);
    assert.deepEqual([payload.deployment_id, payload.status, payload.stack.name], [body.deployment_id, 'completed', 'notify-shop']);
    assert.deepEqual(await deliveries('billing-only'), []);
  });

  test('a failed deployment and the stack entering failed are both sent, once each', async () => {
    await createStack(api, 'notify-broken');
    await create({ name: 'broken', type: 'webhook', url: `${receiver.url}/broken`, secret: SECRET, stacks: ['notify-broken'] });
    api.core.git.beforeResolve = (spec) => {
      if (spec.url.includes('notify-broken')) throw new Error('git is down');
    };
    try {
      const { body } = await api.request('POST', '/api/v1/stacks/notify-broken/deploy');
      assert.equal((await finished(api, 'notify-broken', body.deployment_id)).status, 'failed');
      const list = await settledDeliveries('broken', 2);
      assert.deepEqual(list.map((d) => d.event).sort(), ['deployment_failed', 'stack_failed']);
      assert.ok(list.every((d) => d.status === 'delivered'));
    } finally {
      api.core.git.beforeResolve = () => {};
    }
  });

  test('a receiver answering 500 twice and then 200 shows 3 attempts', async () => {
    const flaky = await startHttpReceiver([500, 500, 200]);
    try {
      await create({ name: 'flaky', type: 'teams', url: `${flaky.url}/teams` });
      await api.request('POST', '/api/v1/notifications/flaky/test');
      const [delivery] = await settledDeliveries('flaky', 1);
      assert.deepEqual([delivery!.status, delivery!.attempts, delivery!.last_error], ['delivered', 3, null]);
      assert.equal(flaky.requests.length, 3);
      assert.equal(JSON.parse(flaky.requests[2]!.body)['@type'], 'MessageCard');
    } finally {
      await flaky.close();
    }
  });

  test('a delivery that keeps failing ends failed, its error and the log without the hook URL', async () => {
    await create({ name: 'gone', type: 'discord', url: `http://127.0.0.1:9/api/webhooks/${SLACK_TOKEN}` });
    await api.request('POST', '/api/v1/notifications/gone/test');
    const [delivery] = await settledDeliveries('gone', 1);
    assert.equal(delivery!.status, 'failed');
    assert.equal(delivery!.attempts, 3);
    assert.match(delivery!.last_error!, /127\.0\.0\.1:9/);
    assert.doesNotMatch(JSON.stringify(delivery) + api.logText(), /slacktokenXYZ|webhook-secret-0123456789|mailpass99/);
  });

  test('deleting a channel takes its deliveries', async () => {
    assert.equal((await api.request('DELETE', '/api/v1/notifications/flaky')).status, 200);
    assert.equal((await api.request('GET', '/api/v1/notifications/flaky')).status, 404);
    assert.equal((await api.request('GET', '/api/v1/notifications/flaky/deliveries')).status, 404);
  });
});

describe('drift notifications', () => {
  let api: TestApi;
  let receiver: HttpReceiver;
  let drifted = true;

  before(async () => {
    const engine = fakeEngine({ diff: async (project) => stackDiff({ project: project.name, drift: drifted ? [driftItem('web', 'stopped')] : [] }) });
    api = await startTestApi({ engine });
    receiver = await startHttpReceiver([200]);
  });

  after(async () => {
    await api?.close();
    await receiver?.close();
  });

  const cycle = async () => {
    const { body } = await api.request('POST', '/api/v1/stacks/notify-drift/deploy');
    await finished(api, 'notify-drift', body.deployment_id);
  };
  const driftDeliveries = async () => (await api.request<Delivery[]>('GET', '/api/v1/notifications/drift/deliveries')).body;

  test('are sent when drift appears, not on every cycle that still sees it', async () => {
    await api.request('POST', '/api/v1/notifications', { name: 'drift', type: 'webhook', url: `${receiver.url}/drift`, secret: SECRET, events: ['drift_detected'] });
    await createStack(api, 'notify-drift');
    await cycle();
    await cycle();
    await quickly(async () => (await driftDeliveries()).some((d) => d.status === 'delivered'), 'the drift notification');
    drifted = false;
    await cycle();
    drifted = true;
    await cycle();
    const list = await quickly(async () => {
      const all = await driftDeliveries();
      return all.length === 2 && all.every((d) => d.status === 'delivered') ? all : undefined;
    }, 'a second drift notification after the drift went and came back');
    assert.deepEqual(list.map((d) => d.event), ['drift_detected', 'drift_detected']);
    assert.match(JSON.parse(receiver.requests[0]!.body).message, /1 drift item/);
  });
});
