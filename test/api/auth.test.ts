import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { quickly } from '../support/eventually.ts';
import { createApiKey, createStack, quietStack, withKey } from './helpers.ts';

// X-API-KEY with roles (viewer < operator < admin) and per-stack grants, and the audit trail,
// through the app served in-process.

describe('API keys and roles', () => {
  let api: TestApi;
  let viewer: string;
  let operator: string;
  let scopedViewer: string;
  let scopedOperator: string;

  before(async () => {
    api = await startTestApi();
    await createStack(api, 'auth-alpha');
    await createStack(api, 'auth-beta');
    viewer = (await createApiKey(api, 'ci viewer', 'viewer')).key;
    operator = (await createApiKey(api, 'deployer', 'operator')).key;
    scopedViewer = (await createApiKey(api, 'alpha viewer', 'viewer', ['auth-alpha'])).key;
    scopedOperator = (await createApiKey(api, 'alpha operator', 'operator', ['auth-alpha'])).key;
  });

  after(async () => {
    await api?.close();
  });

  test('a created key is acc_ followed by 64 hex digits', async () => {
    const { key } = await createApiKey(api, 'shape check', 'viewer');
    assert.match(key, /^acc_[0-9a-f]{64}$/);
  });

  test('the key list never shows a key or its hash', async () => {
    const { status, body } = await api.request('GET', '/api/v1/apikeys');
    assert.equal(status, 200);
    assert.ok(body.length >= 4);
    for (const entry of body) assert.deepEqual(Object.keys(entry).sort(), ['created_at', 'disabled', 'id', 'last_used_at', 'name', 'role', 'stack_grants', 'stacks']);
  });

  test('the database holds the SHA-256 of a key and never the key itself', async () => {
    const { key } = await createApiKey(api, 'stored check', 'viewer');
    const digest = createHash('sha256').update(key).digest('hex');
    const files = await Promise.all(['accelero.db', 'accelero.db-wal'].map((f) => readFile(join(api.core.dataDir, f)).catch(() => Buffer.alloc(0))));
    const bytes = Buffer.concat(files);
    assert.equal(bytes.includes(key), false);
    assert.equal(bytes.includes(digest), true);
  });

  test('a created key is never written to the log', async () => {
    const { key } = await createApiKey(api, 'log check', 'operator');
    await api.request('GET', '/api/v1/stacks', undefined, withKey(key));
    assert.ok(api.logLines().some((line) => line.path === '/api/v1/stacks' && line.status === 200), 'the request was logged');
    assert.equal(api.logText().includes(key), false);
  });

  test('a key records when it was last used', async () => {
    const created = await createApiKey(api, 'usage check', 'viewer');
    await api.request('GET', '/api/v1/stacks', undefined, withKey(created.key));
    // The stamp is written in the background, after the request it records.
    const usedAt = await quickly(async () => (await api.request('GET', `/api/v1/apikeys/${created.id}`)).body.last_used_at, 'last_used_at');
    assert.equal(typeof usedAt, 'string');
  });

  test('a viewer can read stacks', async () => {
    const { status, body } = await api.request('GET', '/api/v1/stacks', undefined, withKey(viewer));
    assert.equal(status, 200);
    assert.deepEqual(body.map((s: { name: string }) => s.name), ['auth-alpha', 'auth-beta']);
  });

  test('a viewer cannot deploy', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks/auth-alpha/deploy', undefined, withKey(viewer));
    assert.equal(status, 403);
    assert.equal(body.code, 'forbidden');
    assert.match(body.error, /operator/);
  });

  test('a viewer cannot create a stack', async () => {
    const { status } = await api.request('POST', '/api/v1/stacks', quietStack('auth-by-viewer'), withKey(viewer));
    assert.equal(status, 403);
    assert.equal((await api.request('GET', '/api/v1/stacks/auth-by-viewer')).status, 404);
  });

  test('an operator can deploy', async () => {
    const { status } = await api.request('POST', '/api/v1/stacks/auth-beta/deploy', undefined, withKey(operator));
    assert.equal(status, 202);
  });

  test('an operator cannot manage API keys', async () => {
    const { status } = await api.request('POST', '/api/v1/apikeys', { name: 'escalate', role: 'admin' }, withKey(operator));
    assert.equal(status, 403);
  });

  test('an operator cannot list API keys', async () => {
    assert.equal((await api.request('GET', '/api/v1/apikeys', undefined, withKey(operator))).status, 403);
  });

  test('a stored admin key can manage API keys', async () => {
    const { key } = await createApiKey(api, 'second admin', 'admin');
    const { status } = await api.request('POST', '/api/v1/apikeys', { name: 'made by second admin', role: 'viewer' }, withKey(key));
    assert.equal(status, 201);
  });

  test('a viewer of one stack sees only that stack in the list', async () => {
    const { body } = await api.request('GET', '/api/v1/stacks', undefined, withKey(scopedViewer));
    assert.deepEqual(body.map((s: { name: string }) => s.name), ['auth-alpha']);
  });

  test('a viewer of one stack cannot read another stack', async () => {
    const { status } = await api.request('GET', '/api/v1/stacks/auth-beta', undefined, withKey(scopedViewer));
    assert.equal(status, 403);
  });

  test('a viewer of one stack cannot read another stack by its id', async () => {
    const beta = await api.request('GET', '/api/v1/stacks/auth-beta');
    const { status } = await api.request('GET', `/api/v1/stacks/${beta.body.id}/deployments`, undefined, withKey(scopedViewer));
    assert.equal(status, 403);
  });

  test('a viewer of one stack can read that stack by its id', async () => {
    const alpha = await api.request('GET', '/api/v1/stacks/auth-alpha');
    const { status } = await api.request('GET', `/api/v1/stacks/${alpha.body.id}`, undefined, withKey(scopedViewer));
    assert.equal(status, 200);
  });

  test('an operator of one stack can deploy it but not another', async () => {
    const own = await api.request('POST', '/api/v1/stacks/auth-alpha/deploy', undefined, withKey(scopedOperator));
    const other = await api.request('POST', '/api/v1/stacks/auth-beta/deploy', undefined, withKey(scopedOperator));
    assert.deepEqual([own.status, other.status], [202, 403]);
  });

  test('an operator of one stack cannot create stacks', async () => {
    const { status } = await api.request('POST', '/api/v1/stacks', quietStack('auth-alpha-2'), withKey(scopedOperator));
    assert.equal(status, 403);
  });

  test('a viewer of one stack follows the events of that stack only, named or not', async () => {
    const status = async (query: string) => {
      const abort = new AbortController();
      const response = await fetch(`${api.url}/api/v1/events${query}`, { headers: withKey(scopedViewer), signal: abort.signal });
      abort.abort();
      return response.status;
    };
    assert.deepEqual([await status(''), await status('?stack=auth-beta'), await status('?stack=auth-alpha')], [200, 403, 200]);
  });

  test('an admin key cannot be limited to stacks', async () => {
    const { status, body } = await api.request('POST', '/api/v1/apikeys', { name: 'odd admin', role: 'admin', stacks: ['auth-alpha'] });
    assert.equal(status, 400);
    assert.match(body.error, /stacks/);
  });

  test('an unknown role is a 400 that names role', async () => {
    const { status, body } = await api.request('POST', '/api/v1/apikeys', { name: 'root', role: 'root' });
    assert.equal(status, 400);
    assert.match(body.error, /role/);
  });

  test('a second key with the same name is a 409', async () => {
    const { status } = await api.request('POST', '/api/v1/apikeys', { name: 'deployer', role: 'viewer' });
    assert.equal(status, 409);
  });

  test('a key is found by id and shows its role and grants', async () => {
    const created = await createApiKey(api, 'lookup', 'viewer', ['auth-beta']);
    const { status, body } = await api.request('GET', `/api/v1/apikeys/${created.id}`);
    assert.equal(status, 200);
    assert.deepEqual([body.role, body.stacks], ['viewer', ['auth-beta']]);
  });

  test('an unknown key id is a 404', async () => {
    assert.equal((await api.request('GET', '/api/v1/apikeys/00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await api.request('DELETE', '/api/v1/apikeys/00000000-0000-0000-0000-000000000000')).status, 404);
  });

  test('a deleted key stops working', async () => {
    const created = await createApiKey(api, 'short lived', 'viewer');
    assert.equal((await api.request('GET', '/api/v1/stacks', undefined, withKey(created.key))).status, 200);
    const deleted = await api.request('DELETE', `/api/v1/apikeys/${created.id}`);
    assert.deepEqual([deleted.status, deleted.body], [200, { status: 'deleted' }]);
    const after = await api.request('GET', '/api/v1/stacks', undefined, withKey(created.key));
    assert.equal(after.status, 403);
  });

  test('a missing key on a mutation is a 401 JSON error', async () => {
    const response = await fetch(`${api.url}/api/v1/stacks/auth-alpha/deploy`, { method: 'POST' });
    assert.equal(response.status, 401);
    assert.equal((await response.json()).code, 'unauthorized');
  });

  test('a key that differs in one character is refused', async () => {
    const flipped = viewer.slice(0, -1) + (viewer.endsWith('0') ? '1' : '0');
    assert.equal((await api.request('GET', '/api/v1/stacks', undefined, withKey(flipped))).status, 403);
  });
});

describe('the audit trail', () => {
  let api: TestApi;
  let viewer: string;

  before(async () => {
    api = await startTestApi();
    viewer = (await createApiKey(api, 'auditor view', 'viewer')).key;
    await createStack(api, 'audited');
    await api.request('POST', '/api/v1/stacks/audited/deploy', undefined, withKey(viewer));
    await api.request('POST', '/api/v1/stacks/nope/deploy');
  });

  after(async () => {
    await api?.close();
  });

  const entries = async () => (await api.request('GET', '/api/v1/audit?limit=100')).body as Array<Record<string, string>>;

  test('a stack creation is recorded with who, what, which stack and success', async () => {
    const entry = (await entries()).find((e) => e.action === 'POST /api/v1/stacks');
    assert.deepEqual(entry && [entry.actor, entry.target, entry.outcome], ['admin', 'audited', 'success']);
  });

  test('a key creation is recorded with the id of the key', async () => {
    const keys = (await api.request('GET', '/api/v1/apikeys')).body;
    const entry = (await entries()).find((e) => e.action === 'POST /api/v1/apikeys');
    assert.equal(entry?.target, keys[0].id);
  });

  test('a deploy refused for the role is recorded as denied for that key', async () => {
    const entry = (await entries()).find((e) => e.actor === 'auditor view');
    assert.deepEqual(entry && [entry.target, entry.outcome, entry.detail], ['audited', 'denied', '403 forbidden']);
  });

  test('a deploy of an unknown stack is recorded as rejected', async () => {
    const entry = (await entries()).find((e) => e.target === 'nope');
    assert.deepEqual(entry && [entry.action, entry.outcome, entry.detail], ['POST /api/v1/stacks/:id/deploy', 'rejected', '404 not_found']);
  });

  test('requests without a valid key leave no audit entry', async () => {
    const before = (await entries()).length;
    await fetch(`${api.url}/api/v1/stacks/audited/deploy`, { method: 'POST' });
    await fetch(`${api.url}/api/v1/stacks/audited/deploy`, { method: 'POST', headers: { 'x-api-key': 'acc_guess' } });
    assert.equal((await entries()).length, before);
  });

  test('reads are not recorded', async () => {
    assert.equal((await entries()).some((e) => e.action.startsWith('GET ')), false);
  });

  test('a key other than an admin reads only the audit entries about its stacks', async () => {
    const { status, body } = await api.request('GET', '/api/v1/audit?limit=1000', undefined, withKey(viewer));
    assert.equal(status, 200);
    assert.ok(body.length > 0);
    assert.ok(body.every((entry: { stack_id: string | null }) => entry.stack_id !== null), JSON.stringify(body));
    assert.equal(body.some((entry: { action: string }) => entry.action.includes('apikeys')), false);
  });

  test('operation keeps the entries whose action contains it', async () => {
    const { status, body } = await api.request('GET', '/api/v1/audit?operation=deploy&limit=1000');
    assert.equal(status, 200);
    assert.ok(body.length > 0);
    assert.ok(body.every((entry: { action: string }) => entry.action.includes('deploy')), JSON.stringify(body));
  });

  test('since keeps the entries at or after it, an offset time included', async () => {
    const all = (await api.request('GET', '/api/v1/audit?limit=1000')).body as { at: string }[];
    const middle = all[Math.floor(all.length / 2)]!.at;
    const { body } = await api.request('GET', `/api/v1/audit?limit=1000&since=${encodeURIComponent(middle)}`);
    assert.deepEqual(body, all.filter((entry) => entry.at >= middle));
    const later = (await api.request('GET', `/api/v1/audit?since=${encodeURIComponent('2999-01-01T02:00:00+02:00')}`)).body;
    assert.deepEqual(later, []);
  });

  test('an operation holding a LIKE wildcard or a since that is no time is refused, naming the parameter', async () => {
    const wildcard = await api.request('GET', '/api/v1/audit?operation=%25');
    assert.equal(wildcard.status, 400);
    assert.match(JSON.stringify(wildcard.body), /operation/);
    const since = await api.request('GET', '/api/v1/audit?since=yesterday');
    assert.equal(since.status, 400);
    assert.match(JSON.stringify(since.body), /since/);
  });

  test('the audit list is newest first and honours limit', async () => {
    const { body } = await api.request('GET', '/api/v1/audit?limit=2');
    assert.equal(body.length, 2);
    assert.ok(body[0].id > body[1].id);
  });
});
