import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDaemon, type TestDaemon } from '../support/daemon.ts';
import { legacyWebhook, resign } from '../support/webhook-payloads.ts';
import { createStack, deliver } from './helpers.ts';

// The Go Accelero's webhook: `{"stack": "<name or id>"}` on /webhook and /api/v1/webhook,
// signed GitHub-style when WEBHOOK_SECRET is set.

const SECRET = 'legacy-secret-93ad';

describe('legacy webhook with WEBHOOK_SECRET set', () => {
  let daemon: TestDaemon;
  let stackId: string;

  before(async () => {
    daemon = await startDaemon({ env: { WEBHOOK_SECRET: SECRET } });
    stackId = (await createStack(daemon, 'legacy-app')).id;
    await createStack(daemon, 'legacy-other');
  });

  after(async () => {
    await daemon?.stop();
    await daemon?.cleanup();
  });

  for (const path of ['/webhook', '/api/v1/webhook']) {
    test(`a signed request on ${path} queues a deploy of the named stack`, async () => {
      const { status, body } = await deliver(daemon, path, legacyWebhook('legacy-app', SECRET));
      assert.equal(status, 202);
      assert.equal(body.status, 'accepted');
      assert.equal(body.stack_id, stackId);
      assert.equal(typeof body.deployment_id, 'string');
    });
  }

  test('the stack may be named by its id', async () => {
    const { status, body } = await deliver(daemon, '/webhook', legacyWebhook(stackId, SECRET));
    assert.equal(status, 202);
    assert.equal(body.stack_id, stackId);
  });

  test('a content type with parameters is accepted', async () => {
    const { status } = await deliver(daemon, '/webhook', legacyWebhook('legacy-app', SECRET, 'application/json; charset=utf-8'));
    assert.equal(status, 202);
  });

  test('a wrong signature is a 401 signature_invalid', async () => {
    const { status, body } = await deliver(daemon, '/webhook', resign(legacyWebhook('legacy-app', SECRET), 'guess'));
    assert.equal(status, 401);
    assert.equal(body.code, 'signature_invalid');
  });

  test('a missing signature is a 401 signature_missing', async () => {
    const { status, body } = await deliver(daemon, '/webhook', legacyWebhook('legacy-app'));
    assert.equal(status, 401);
    assert.equal(body.code, 'signature_missing');
  });

  test('an unknown stack is a 404 and deploys no other stack', async () => {
    const { status, body } = await deliver(daemon, '/webhook', legacyWebhook('no-such-stack', SECRET));
    assert.equal(status, 404);
    assert.equal(body.code, 'not_found');
    const deployments = await daemon.request('GET', '/api/v1/stacks/legacy-other/deployments');
    assert.deepEqual(deployments.body, []);
  });

  test('a body without "stack" is a 400 that names the field', async () => {
    const { status, body } = await deliver(daemon, '/webhook', { body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(status, 400);
    assert.match(body.error, /stack/);
  });

  test('the deployment it queues has the webhook trigger', async () => {
    const { body } = await deliver(daemon, '/api/v1/webhook', legacyWebhook('legacy-app', SECRET));
    const deployment = await daemon.request('GET', `/api/v1/stacks/legacy-app/deployments/${body.deployment_id}`);
    assert.equal(deployment.body.trigger, 'webhook');
  });

  test('a GET on the webhook path is a 405 JSON error', async () => {
    const response = await fetch(`${daemon.url}/webhook`);
    assert.equal(response.status, 405);
    assert.equal((await response.json()).code, 'method_not_allowed');
  });
});

describe('legacy webhook without WEBHOOK_SECRET', () => {
  let daemon: TestDaemon;

  before(async () => {
    daemon = await startDaemon();
    await createStack(daemon, 'open-app');
  });

  after(async () => {
    await daemon?.stop();
    await daemon?.cleanup();
  });

  test('an unsigned request is accepted', async () => {
    const { status } = await deliver(daemon, '/webhook', legacyWebhook('open-app'));
    assert.equal(status, 202);
  });

  test('an unknown stack is still a 404', async () => {
    const { status } = await deliver(daemon, '/webhook', legacyWebhook('missing-app'));
    assert.equal(status, 404);
  });
});
