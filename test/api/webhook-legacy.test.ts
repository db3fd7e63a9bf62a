import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { legacyWebhook, resign } from '../support/webhook-payloads.ts';
import { createApiKey, createStack, deliver, withKey } from './helpers.ts';

// The Go Accelero's webhook: `{"stack": "<name or id>"}` on /webhook and /api/v1/webhook,
// signed GitHub-style when WEBHOOK_SECRET is set.

const SECRET = 'legacy-secret-93ad';

describe('legacy webhook with WEBHOOK_SECRET set', () => {
  let api: TestApi;
  let stackId: string;

  before(async () => {
    api = await startTestApi({ webhookSecret: SECRET });
    stackId = (await createStack(api, 'legacy-app')).id;
    await createStack(api, 'legacy-other');
  });

  after(async () => {
    await api?.close();
  });

  for (const path of ['/webhook', '/api/v1/webhook']) {
    test(`a signed request on ${path} queues a deploy of the named stack`, async () => {
      const { status, body } = await deliver(api, path, legacyWebhook('legacy-app', SECRET));
      assert.equal(status, 202);
      assert.equal(body.status, 'accepted');
      assert.equal(body.stack_id, stackId);
      assert.equal(typeof body.deployment_id, 'string');
    });
  }

  test('the stack may be named by its id', async () => {
    const { status, body } = await deliver(api, '/webhook', legacyWebhook(stackId, SECRET));
    assert.equal(status, 202);
    assert.equal(body.stack_id, stackId);
  });

  test('a content type with parameters is accepted', async () => {
    const { status } = await deliver(api, '/webhook', legacyWebhook('legacy-app', SECRET, 'application/json; charset=utf-8'));
    assert.equal(status, 202);
  });

  test('a wrong signature is a 401 signature_invalid', async () => {
    const { status, body } = await deliver(api, '/webhook', resign(legacyWebhook('legacy-app', SECRET), 'guess'));
    assert.equal(status, 401);
    assert.equal(body.code, 'signature_invalid');
  });

  test('a missing signature is a 401 signature_missing', async () => {
    const { status, body } = await deliver(api, '/webhook', legacyWebhook('legacy-app'));
    assert.equal(status, 401);
    assert.equal(body.code, 'signature_missing');
  });

  test('an unknown stack is a 404 and deploys no other stack', async () => {
    const { status, body } = await deliver(api, '/webhook', legacyWebhook('no-such-stack', SECRET));
    assert.equal(status, 404);
    assert.equal(body.code, 'not_found');
    const deployments = await api.request('GET', '/api/v1/stacks/legacy-other/deployments');
    assert.deepEqual(deployments.body, []);
  });

  test('a body without "stack" is a 400 that names the field', async () => {
    const { status, body } = await deliver(api, '/webhook', { body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(status, 400);
    assert.match(body.error, /stack/);
  });

  test('the deployment it queues has the webhook trigger', async () => {
    const { body } = await deliver(api, '/api/v1/webhook', legacyWebhook('legacy-app', SECRET));
    const deployment = await api.request('GET', `/api/v1/stacks/legacy-app/deployments/${body.deployment_id}`);
    assert.equal(deployment.body.trigger, 'webhook');
  });

  test('a GET on the webhook path is a 405 JSON error', async () => {
    const response = await fetch(`${api.url}/webhook`);
    assert.equal(response.status, 405);
    assert.equal((await response.json()).code, 'method_not_allowed');
  });
});

describe('legacy webhook without WEBHOOK_SECRET', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi();
    await createStack(api, 'open-app');
  });

  after(async () => {
    await api?.close();
  });

  test('an unsigned request for a stack without a secret needs an operator key', async () => {
    const { status, body } = await deliver(api, '/webhook', legacyWebhook('open-app'));
    assert.deepEqual([status, body.code], [401, 'unauthorized']);
    assert.match(body.error, /operator X-API-KEY/);
  });

  test('with an operator key it is accepted', async () => {
    const operator = await createApiKey(api, 'hook operator', 'operator');
    const delivery = legacyWebhook('open-app');
    const { status } = await deliver(api, '/webhook', { ...delivery, headers: { ...delivery.headers, ...withKey(operator.key) } });
    assert.equal(status, 202);
  });

  test('a viewer key is not enough', async () => {
    const viewer = await createApiKey(api, 'hook viewer', 'viewer');
    const delivery = legacyWebhook('open-app');
    const { status } = await deliver(api, '/webhook', { ...delivery, headers: { ...delivery.headers, ...withKey(viewer.key) } });
    assert.equal(status, 403);
  });

  test('an unknown stack is a 401 without a key, so stack names do not leak, and a 404 with one', async () => {
    assert.equal((await deliver(api, '/webhook', legacyWebhook('missing-app'))).status, 401);
    const delivery = legacyWebhook('missing-app');
    assert.equal((await deliver(api, '/webhook', { ...delivery, headers: { ...delivery.headers, ...withKey(api.apiKey) } })).status, 404);
  });
});
