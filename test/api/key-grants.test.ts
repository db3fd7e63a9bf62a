import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { createStack, withKey } from './helpers.ts';

// API keys with a role per stack (stack_grants) and keys an admin disables, attacked as a
// caller would: every answer below is what the key must NOT get past.

describe('per-stack grants and disabled keys', () => {
  let api: TestApi;
  let granted = '';

  before(async () => {
    api = await startTestApi();
    for (const name of ['grant-ops', 'grant-view', 'grant-none']) await createStack(api, name);
    await api.core.settled();
    const created = await api.request('POST', '/api/v1/apikeys', { name: 'per stack', role: 'none', stack_grants: { 'grant-ops': 'operator', 'grant-view': 'viewer' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.stack_grants, { 'grant-ops': 'operator', 'grant-view': 'viewer' });
    granted = created.body.key;
  });

  after(async () => {
    await api?.close();
  });

  test('a key of role none deploys the stack it is an operator of', async () => {
    const { status } = await api.request('POST', '/api/v1/stacks/grant-ops/deploy', undefined, withKey(granted));
    assert.equal(status, 202);
  });

  test('it may read but not deploy the stack it is a viewer of', async () => {
    assert.equal((await api.request('GET', '/api/v1/stacks/grant-view', undefined, withKey(granted))).status, 200);
    const deploy = await api.request('POST', '/api/v1/stacks/grant-view/deploy', undefined, withKey(granted));
    assert.equal(deploy.status, 403);
    assert.match(deploy.body.error, /operator role on stack "grant-view"; this key has viewer there/);
  });

  test('it reaches no other stack, and lists only its two', async () => {
    assert.equal((await api.request('GET', '/api/v1/stacks/grant-none', undefined, withKey(granted))).status, 403);
    const listed = (await api.request('GET', '/api/v1/stacks', undefined, withKey(granted))).body.map((s: { name: string }) => s.name).sort();
    assert.deepEqual(listed, ['grant-ops', 'grant-view']);
  });

  test('it cannot use routes that are not about its stacks', async () => {
    assert.equal((await api.request('GET', '/api/v1/supervisor', undefined, withKey(granted))).status, 403);
    assert.equal((await api.request('POST', '/api/v1/stacks', { name: 'grant-new', repo_url: 'https://example.com/r.git' }, withKey(granted))).status, 403);
  });

  test('role none without stack_grants, or a grant of admin, is refused naming the field', async () => {
    const bare = await api.request('POST', '/api/v1/apikeys', { name: 'bare none', role: 'none' });
    assert.equal(bare.status, 400);
    assert.match(JSON.stringify(bare.body), /stack_grants/);
    const admin = await api.request('POST', '/api/v1/apikeys', { name: 'admin grant', role: 'viewer', stack_grants: { 'grant-ops': 'admin' } });
    assert.equal(admin.status, 400);
    assert.match(JSON.stringify(admin.body), /stack_grants/);
  });

  test('a disabled key is refused with 401 saying so, and works again once enabled', async () => {
    const { body: key } = await api.request('POST', '/api/v1/apikeys', { name: 'switched', role: 'viewer' });
    const off = await api.request('PATCH', `/api/v1/apikeys/${key.id}`, { disabled: true });
    assert.deepEqual([off.status, off.body.disabled], [200, true]);
    const refused = await api.request('GET', '/api/v1/stacks', undefined, withKey(key.key));
    assert.equal(refused.status, 401);
    assert.match(refused.body.error, /disabled/);
    assert.equal((await api.request('PATCH', `/api/v1/apikeys/${key.id}`, { disabled: false })).status, 200);
    assert.equal((await api.request('GET', '/api/v1/stacks', undefined, withKey(key.key))).status, 200);
  });

  test('a key created disabled is refused from the start, and only an admin may switch keys', async () => {
    const { body: key } = await api.request('POST', '/api/v1/apikeys', { name: 'born off', role: 'operator', disabled: true });
    assert.equal((await api.request('GET', '/api/v1/stacks', undefined, withKey(key.key))).status, 401);
    const { body: operator } = await api.request('POST', '/api/v1/apikeys', { name: 'switcher', role: 'operator' });
    assert.equal((await api.request('PATCH', `/api/v1/apikeys/${key.id}`, { disabled: false }, withKey(operator.key))).status, 403);
  });

  test('knocking with a disabled key many times does not lock the address out', async () => {
    const { body: key } = await api.request('POST', '/api/v1/apikeys', { name: 'knocker', role: 'viewer', disabled: true });
    for (let i = 0; i < 12; i++) assert.equal((await api.request('GET', '/api/v1/stacks', undefined, withKey(key.key))).status, 401);
    assert.equal((await api.request('GET', '/api/v1/stacks')).status, 200);
  });
});
