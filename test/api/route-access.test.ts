import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROLES, type Role } from '../../src/api/auth/roles.ts';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { createApiKey, createStack } from './helpers.ts';

// Every route of the OpenAPI document × every kind of caller × path variants (case, trailing
// slash, double slash, percent encoding): a caller below the declared role never gets past
// 401/403 on any variant that reaches the route, and one with the role is never refused.
// Callers without the role act on a real stack, so a check that let them through would change
// it; callers with the role are pointed at nothing (a missing stack, a body the schema refuses).

interface Caller { name: string; key?: string; role?: Role; limited?: boolean }
interface Operation { method: string; path: string; role: Role | 'public'; signed: boolean; filters: boolean }

const GRANTED = 'walk-b';
const TARGET = 'walk-a';

function fill(path: string, stack: string): string {
  return path.replace('{id}', stack).replace('{deploymentId}', 'no-such-deployment').replace('{provider}', 'github')
    .replace('{name}', 'NO_SUCH_SECRET').replace('{server}', 'no-such.registry');
}

/** The same route written differently; each either reaches the route or no route at all. */
function variants(path: string): Record<string, string> {
  const encoded = path.replace(/\/([a-z])([a-z.]*)$/, (_m, first: string, rest: string) => `/%${first.charCodeAt(0).toString(16)}${rest}`);
  return {
    'as declared': path,
    'in capitals': path.toUpperCase(),
    'prefix in capitals': path.replace('/api/v1', '/API/V1'),
    'trailing slash': `${path}/`,
    'double slash in front': `/${path}`,
    'double slash inside': path.replace('/v1/', '/v1//'),
    'percent-encoded': encoded === path ? path.replace(TARGET, 'walk%2Da') : encoded,
  };
}

function mayCall(caller: Caller, op: Operation): boolean {
  if (op.role === 'public') return true;
  if (!caller.role) return false;
  if (ROLES.indexOf(caller.role) < ROLES.indexOf(op.role)) return false;
  if (!caller.limited) return true;
  // A key limited to another stack: the routes that answer only about its stacks, not TARGET's.
  return op.filters && !op.path.startsWith('/api/v1/stacks/{id}');
}

describe('authorization on every route, every role and every spelling of its path', () => {
  let api: TestApi;
  let callers: Caller[];
  let operations: Operation[];
  const keysBefore: string[] = [];

  before(async () => {
    api = await startTestApi();
    await createStack(api, TARGET);
    await createStack(api, GRANTED);
    callers = [
      { name: 'no key' },
      { name: 'viewer', key: (await createApiKey(api, 'walk viewer', 'viewer')).key, role: 'viewer' },
      { name: 'operator', key: (await createApiKey(api, 'walk operator', 'operator')).key, role: 'operator' },
      { name: 'viewer of another stack', key: (await createApiKey(api, 'walk scoped viewer', 'viewer', [GRANTED])).key, role: 'viewer', limited: true },
      { name: 'operator of another stack', key: (await createApiKey(api, 'walk scoped operator', 'operator', [GRANTED])).key, role: 'operator', limited: true },
      { name: 'admin', key: api.apiKey, role: 'admin' },
    ];
    keysBefore.push(...(await api.request('GET', '/api/v1/apikeys')).body.map((k: { id: string }) => k.id));
    const document = (await api.request('GET', '/api/v1/openapi.json')).body;
    operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(), path, signed: op['x-signed'] === true,
        role: op.security?.length === 0 ? 'public' as const : op['x-required-role'] as Role,
        filters: op['x-signed'] === true || ['/api/v1/stacks', '/api/v1/machine', '/api/v1/openapi.json', '/api/v1/events', '/api/v1/audit', '/api/v1/whoami', '/status', '/api/v1/images', '/api/v1/volumes', '/api/v1/networks', '/api/v1/approvals'].includes(path) && method === 'get',
      })));
  });

  after(async () => {
    await api?.close();
  });

  /** A body the route's schema refuses, except for webhooks, whose body names the stack. */
  const bodyFor = (op: Operation, stack: string) => {
    if (op.path === '/api/v1/webhooks/{provider}') return { ref: 'refs/heads/main', repository: { clone_url: `https://git.example/${stack}.git` } };
    if (op.signed) return { stack };
    return { walk_unknown_field: true };
  };

  const send = async (caller: Caller, op: Operation, path: string, stack: string) => {
    const abort = new AbortController();
    const { method } = op;
    const response = await fetch(api.url + path, {
      method, signal: abort.signal,
      headers: {
        ...(caller.key ? { 'x-api-key': caller.key } : {}), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
        ...(op.signed ? { 'x-github-event': 'push' } : {}),
      },
      body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(bodyFor(op, stack)),
    });
    // An event stream never ends by itself: the status is all this walk needs.
    const text = response.headers.get('content-type')?.startsWith('text/event-stream') ? '' : await response.text();
    abort.abort();
    return { status: response.status, unrouted: response.status === 405 || (response.status === 404 && text.includes('no route for')) };
  };

  test('the document lists the routes this walk covers', () => {
    assert.ok(operations.length >= 36, String(operations.length));
    assert.ok(operations.some((op) => op.path === '/api/v1/apikeys' && op.method === 'POST' && op.role === 'admin'));
  });

  test('no caller gets past the declared access, on any spelling of any route', async () => {
    const wrong: string[] = [];
    for (const op of operations) {
      for (const caller of callers) {
        const allowed = mayCall(caller, op);
        // Allowed callers are pointed at nothing; the others at a real stack they must not touch.
        const stack = allowed && op.method !== 'GET' ? 'walk-none' : TARGET;
        for (const [variant, path] of Object.entries(variants(fill(op.path, stack)))) {
          const { status, unrouted } = await send(caller, op, path, stack);
          if (unrouted) continue; // this spelling reaches no route, for anyone
          // In capitals a parameter names nothing that exists (stack WALK-A, provider GITHUB):
          // the route's 400 or 404 before any lookup tells nothing and changes nothing.
          const namesNothing = variant === 'in capitals' && /\/(STACKS|WEBHOOKS)\//.test(path) && (status === 400 || status === 404);
          const refused = status === 401 || status === 403 || (!allowed && namesNothing);
          if (allowed === refused) wrong.push(`${caller.name} ${op.method} ${path} (${variant}) → ${status}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  test('an operator cannot create a key by writing the path in capitals', async () => {
    const createKey = operations.find((op) => op.path === '/api/v1/apikeys' && op.method === 'POST')!;
    const { status } = await send(callers[2]!, createKey, '/API/V1/APIKEYS', TARGET);
    assert.equal(status, 403);
  });

  test('nothing was changed by the walk: no key, no deployment, no stack removed', async () => {
    const keys = (await api.request('GET', '/api/v1/apikeys')).body.map((k: { id: string }) => k.id);
    assert.deepEqual(keys, keysBefore);
    assert.deepEqual((await api.request('GET', `/api/v1/stacks/${TARGET}/deployments`)).body, []);
    assert.deepEqual((await api.request('GET', '/api/v1/stacks')).body.map((s: { name: string }) => s.name), [TARGET, GRANTED]);
    assert.deepEqual((await api.request('GET', `/api/v1/stacks/${TARGET}`)).body.paused, false);
  });
});
