import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import {
  bitbucketPing, bitbucketPush, bitbucketServerPush, genericPush, giteaPush, githubFormPush, githubPing, githubPush, gitlabPush, legacyWebhook, resign,
  type PushSpec, type WebhookDelivery,
} from '../support/webhook-payloads.ts';
import { createStack, deliver } from './helpers.ts';

// Provider webhooks through the app served in-process with WEBHOOK_SECRET set: each provider's own
// signature or token, payloads shaped like its real push event, matching by repository URL
// and branch.

const SECRET = 'global-webhook-secret-4f1c';

const providers: Array<{ name: string; host: string; push: (spec: PushSpec) => WebhookDelivery }> = [
  { name: 'github', host: 'github.com', push: githubPush },
  { name: 'gitlab', host: 'gitlab.example.com', push: gitlabPush },
  { name: 'gitea', host: 'gitea.example.com', push: (spec) => giteaPush(spec) },
  { name: 'bitbucket', host: 'bitbucket.org', push: bitbucketPush },
  { name: 'generic', host: 'git.example.com', push: genericPush },
];

describe('provider webhooks', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi({ webhookSecret: SECRET });
    for (const { name, host } of providers) {
      await createStack(api, `wh-${name}`, { repo_url: `https://${host}/acme/shop-${name}.git` });
      await createStack(api, `wh-${name}-staging`, { repo_url: `https://${host}/acme/shop-${name}.git`, repo_branch: 'staging' });
    }
  });

  after(async () => {
    await api?.close();
  });

  const spec = (name: string, host: string, extra: Partial<PushSpec> = {}): PushSpec =>
    ({ host, owner: 'acme', repo: `shop-${name}`, ref: 'refs/heads/main', secret: SECRET, ...extra });

  for (const { name, host, push } of providers) {
    test(`a signed ${name} push to main is accepted for the stack on that repository and branch only`, async () => {
      const { status, body } = await deliver(api, `/api/v1/webhooks/${name}`, push(spec(name, host)));
      assert.equal(status, 202, JSON.stringify(body));
      assert.deepEqual(body.matched_stacks, [`wh-${name}`]);
      assert.equal(body.deployments[0].stack_name, `wh-${name}`);
    });

    test(`a ${name} push signed with another secret is a 401 signature_invalid`, async () => {
      const { status, body } = await deliver(api, `/api/v1/webhooks/${name}`, resign(push(spec(name, host)), 'not-the-secret'));
      assert.equal(status, 401);
      assert.equal(body.code, 'signature_invalid');
    });

    test(`an unsigned ${name} push is a 401 signature_missing`, async () => {
      const { status, body } = await deliver(api, `/api/v1/webhooks/${name}`, push(spec(name, host, { secret: undefined })));
      assert.equal(status, 401);
      assert.equal(body.code, 'signature_missing');
    });

    test(`a ${name} push to another branch matches the stack that follows that branch`, async () => {
      const { status, body } = await deliver(api, `/api/v1/webhooks/${name}`, push(spec(name, host, { ref: 'refs/heads/staging' })));
      assert.equal(status, 202);
      assert.deepEqual(body.matched_stacks, [`wh-${name}-staging`]);
    });

    test(`a ${name} push to a branch no stack follows matches nothing`, async () => {
      const { status, body } = await deliver(api, `/api/v1/webhooks/${name}`, push(spec(name, host, { ref: 'refs/heads/feature/x' })));
      assert.equal(status, 202);
      assert.deepEqual(body.matched_stacks, []);
    });

    test(`a ${name} delivery sent twice is refused the second time`, async () => {
      const delivery = push(spec(name, host, { deliveryId: randomUUID() }));
      assert.equal((await deliver(api, `/api/v1/webhooks/${name}`, delivery)).status, 202);
      const replay = await deliver(api, `/api/v1/webhooks/${name}`, delivery);
      assert.equal(replay.status, 409);
      assert.equal(replay.body.code, 'duplicate_delivery');
    });
  }

  test('a deleted branch matches no stack', async () => {
    const { status, body } = await deliver(api, '/api/v1/webhooks/github', githubPush(spec('github', 'github.com', { deleted: true })));
    assert.equal(status, 202);
    assert.deepEqual(body.matched_stacks, []);
  });

  test('a push to another repository of the same owner matches nothing', async () => {
    const { body } = await deliver(api, '/api/v1/webhooks/github', githubPush(spec('github', 'github.com', { repo: 'shop-githubx' })));
    assert.deepEqual(body.matched_stacks, []);
  });

  test('a repository URL given over ssh with another host case and no .git still matches', async () => {
    await createStack(api, 'wh-ssh', { repo_url: 'git@GitHub.com:acme/ssh-shop' });
    const { body } = await deliver(api, '/api/v1/webhooks/github', githubPush({ host: 'github.com', owner: 'acme', repo: 'ssh-shop', ref: 'refs/heads/main', secret: SECRET }));
    assert.deepEqual(body.matched_stacks, ['wh-ssh']);
  });

  test('a stack on an ssh:// URL with a user still matches a push that names the https URL', async () => {
    await createStack(api, 'wh-creds', { repo_url: 'ssh://git@gitlab.example.com/acme/creds-shop.git' });
    const { body } = await deliver(api, '/api/v1/webhooks/gitlab', gitlabPush({ host: 'gitlab.example.com', owner: 'acme', repo: 'creds-shop', ref: 'refs/heads/main', secret: SECRET }));
    assert.deepEqual(body.matched_stacks, ['wh-creds']);
  });

  test('a stack pinned to a tag is matched by a push of that tag, not of its branch', async () => {
    await createStack(api, 'wh-pinned', { repo_url: 'https://gitlab.example.com/acme/pinned.git', repo_ref: 'v1.2.0' });
    const base = { host: 'gitlab.example.com', owner: 'acme', repo: 'pinned', secret: SECRET };
    const branch = await deliver(api, '/api/v1/webhooks/gitlab', gitlabPush({ ...base, ref: 'refs/heads/main' }));
    const tag = await deliver(api, '/api/v1/webhooks/gitlab', gitlabPush({ ...base, ref: 'refs/tags/v1.2.0' }));
    assert.deepEqual([branch.body.matched_stacks, tag.body.matched_stacks], [[], ['wh-pinned']]);
  });

  test('a matched push queues a deployment with the webhook trigger', async () => {
    const { body } = await deliver(api, '/api/v1/webhooks/bitbucket', bitbucketPush(spec('bitbucket', 'bitbucket.org')));
    const deployment = await api.request('GET', `/api/v1/stacks/wh-bitbucket/deployments/${body.deployments[0].deployment_id}`);
    assert.equal(deployment.status, 200);
    assert.equal(deployment.body.trigger, 'webhook');
  });

  test('a Bitbucket Data Center push matches a stack by its /scm/ clone URL', async () => {
    await createStack(api, 'wh-bbdc', { repo_url: 'https://bitbucket.corp.example/scm/ops/infra.git' });
    const delivery = bitbucketServerPush({ host: 'bitbucket.corp.example', owner: 'ops', repo: 'infra', ref: 'refs/heads/main', secret: SECRET });
    const { status, body } = await deliver(api, '/api/v1/webhooks/bitbucket', delivery);
    assert.equal(status, 202);
    assert.deepEqual(body.matched_stacks, ['wh-bbdc']);
  });

  test('a Gitea push signed only with its own X-Gitea-Signature header is accepted', async () => {
    const { status } = await deliver(api, '/api/v1/webhooks/gitea', giteaPush(spec('gitea', 'gitea.example.com'), { only: 'own-header' }));
    assert.equal(status, 202);
  });

  test('a Forgejo push with its own headers is accepted on the gitea endpoint', async () => {
    const { status, body } = await deliver(api, '/api/v1/webhooks/gitea', giteaPush(spec('gitea', 'gitea.example.com'), { forgejo: true }));
    assert.equal(status, 202);
    assert.deepEqual(body.matched_stacks, ['wh-gitea']);
  });

  test('a GitHub push sent as a form is refused with 415, even when signed', async () => {
    const { status, body } = await deliver(api, '/api/v1/webhooks/github', githubFormPush(spec('github', 'github.com')));
    assert.deepEqual([status, body.code], [415, 'unsupported_media_type']);
    assert.match(body.error, /application\/json/);
  });

  test('a webhook body over 1 MiB is a 413 JSON error', async () => {
    const { status, body } = await deliver(api, '/api/v1/webhooks/generic', { body: 'x'.repeat(1_100_000), headers: { 'content-type': 'application/json' } });
    assert.deepEqual([status, body.code], [413, 'payload_too_large']);
  });

  test('a signed GitHub ping is answered 200', async () => {
    const { status, body } = await deliver(api, '/api/v1/webhooks/github', githubPing(SECRET));
    assert.equal(status, 200);
    assert.equal(body.event, 'ping');
  });

  test('an unsigned GitHub ping is a 401', async () => {
    assert.equal((await deliver(api, '/api/v1/webhooks/github', githubPing())).status, 401);
  });

  test('a signed Bitbucket diagnostics ping is answered 200', async () => {
    assert.equal((await deliver(api, '/api/v1/webhooks/bitbucket', bitbucketPing(SECRET))).status, 200);
  });

  test('a generic ping is answered 200', async () => {
    const delivery = genericPush(spec('generic', 'git.example.com'));
    delivery.headers['x-accelero-event'] = 'ping';
    assert.equal((await deliver(api, '/api/v1/webhooks/generic', delivery)).status, 200);
  });

  test('a signed GitHub event that is not a push is answered 200 and ignored', async () => {
    const delivery = githubPush(spec('github', 'github.com'));
    delivery.headers['x-github-event'] = 'issues';
    const { status, body } = await deliver(api, '/api/v1/webhooks/github', delivery);
    assert.equal(status, 200);
    assert.equal(body.status, 'ignored');
  });

  test('an unknown provider is a 404', async () => {
    const { status, body } = await deliver(api, '/api/v1/webhooks/svn', githubPush(spec('github', 'github.com')));
    assert.equal(status, 404);
    assert.equal(body.code, 'not_found');
  });

  test('a signed generic push without a ref is a 400 naming ref', async () => {
    const body = JSON.stringify({ repo_url: 'https://git.example.com/acme/shop-generic.git' });
    const delivery = resign({ body, headers: { 'content-type': 'application/json', 'x-accelero-signature-256': 'sha256=' } }, SECRET);
    const answer = await deliver(api, '/api/v1/webhooks/generic', delivery);
    assert.equal(answer.status, 400);
    assert.match(answer.body.error, /ref/);
  });

  test('an accepted push is audited as the provider, with the stacks it matched', async () => {
    await deliver(api, '/api/v1/webhooks/gitea', giteaPush(spec('gitea', 'gitea.example.com')));
    const { body } = await api.request('GET', '/api/v1/audit?actor=webhook:gitea&limit=1');
    assert.deepEqual([body[0].target, body[0].outcome], ['wh-gitea', 'success']);
  });

  test('a refused delivery leaves no audit entry', async () => {
    const count = async () => (await api.request('GET', '/api/v1/audit?limit=1000')).body.length;
    const before = await count();
    await deliver(api, '/api/v1/webhooks/github', githubPush(spec('github', 'github.com', { secret: undefined })));
    assert.equal(await count(), before);
  });

  test('rejected deliveries are counted in accelero_webhook_rejections_total', async () => {
    await deliver(api, '/api/v1/webhooks/gitlab', gitlabPush(spec('gitlab', 'gitlab.example.com', { secret: 'wrong' })));
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    assert.match(metrics, /accelero_webhook_rejections_total\{provider="gitlab",reason="signature_invalid"\} [1-9]/);
  });

  test("a stack's own webhook secret is required for it instead of the global one", async () => {
    await createStack(api, 'wh-own', { repo_url: 'https://github.com/acme/own-secret.git', webhook_secret: 'own-secret-77' });
    const base = { host: 'github.com', owner: 'acme', repo: 'own-secret', ref: 'refs/heads/main' };
    const withGlobal = await deliver(api, '/api/v1/webhooks/github', githubPush({ ...base, secret: SECRET }));
    const withOwn = await deliver(api, '/api/v1/webhooks/github', githubPush({ ...base, secret: 'own-secret-77' }));
    assert.deepEqual([withGlobal.status, withGlobal.body.code], [401, 'signature_invalid']);
    assert.deepEqual([withOwn.status, withOwn.body.matched_stacks], [202, ['wh-own']]);
  });

  test("a stack's own webhook secret is shown only as has_webhook_secret", async () => {
    const { body } = await api.request('GET', '/api/v1/stacks/wh-own');
    assert.equal(body.has_webhook_secret, true);
    assert.equal(JSON.stringify(body).includes('own-secret-77'), false);
  });

  test("a stack's own webhook secret is stored sealed, never in plaintext", async () => {
    const files = await Promise.all(['accelero.db', 'accelero.db-wal'].map((f) => readFile(join(api.core.dataDir, f)).catch(() => Buffer.alloc(0))));
    assert.equal(Buffer.concat(files).includes('own-secret-77'), false);
  });

  test("setting a stack's webhook secret to null returns it to the global secret", async () => {
    await createStack(api, 'wh-cleared', { repo_url: 'https://github.com/acme/cleared.git', webhook_secret: 'temporary-own' });
    const cleared = await api.request('PUT', '/api/v1/stacks/wh-cleared', { webhook_secret: null });
    assert.equal(cleared.body.has_webhook_secret, false);
    const { status } = await deliver(api, '/api/v1/webhooks/github', githubPush({ host: 'github.com', owner: 'acme', repo: 'cleared', ref: 'refs/heads/main', secret: SECRET }));
    assert.equal(status, 202);
  });

  test('the legacy webhook also takes the stack\'s own secret', async () => {
    const own = await deliver(api, '/webhook', legacyWebhook('wh-own', 'own-secret-77'));
    const global = await deliver(api, '/webhook', legacyWebhook('wh-own', SECRET));
    assert.deepEqual([own.status, global.status], [202, 401]);
  });

  test('the webhook secrets never appear in the log', () => {
    assert.ok(api.logLines().some((line) => line.msg === 'webhook push'), 'the deliveries were logged');
    assert.equal(api.logText().includes(SECRET), false);
    assert.equal(api.logText().includes('own-secret-77'), false);
  });
});
