import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { buildDashboard } from '../../scripts/build-dashboard.ts';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { quickly } from '../support/eventually.ts';
import { fakeEngine, plannedAction, stackDiff } from '../support/fake-engine.ts';
import { Gate } from '../support/gate.ts';
import { createApiKey, createStack, finished, withKey } from './helpers.ts';

// What the dashboard needs of the daemon, in-process: its page and files (no key, a strict
// Content-Security-Policy), who a key is, the supervisor's figures, each stack's last
// deployment, and the transitions a page at a time.

describe('the dashboard page and its files', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi({ dashboardDir: await buildDashboard() });
  });

  after(async () => {
    await api?.close();
  });

  test('GET / serves the page without a key, under a CSP that allows only its own script and style', async () => {
    const response = await fetch(`${api.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const html = await response.text();
    assert.match(html, /<script type="module" src="\/dashboard\/app\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>|<style>|style="|https?:\/\//, 'no inline script or style, nothing from another origin');
  });

  test('a file the browser has is not sent again (ETag)', async () => {
    const first = await fetch(`${api.url}/dashboard/app.js`);
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type')!, /^text\/javascript/);
    // node:http, as a browser revalidates: fetch() would add `Cache-Control: no-cache` to a conditional request.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${api.url}/dashboard/app.js`, { headers: { 'if-none-match': first.headers.get('etag')! } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    assert.equal(status, 304);
  });

  test('only the built files are served: anything else under /dashboard/ is 404', async () => {
    for (const path of ['/dashboard/nope.js', '/dashboard/..%2Fpackage.json', '/dashboard/index.html']) {
      const { status, body } = await api.request('GET', path);
      assert.equal(status, 404, path);
      assert.equal(body.code, 'not_found');
    }
  });

  test('the API still needs a key beside the page', async () => {
    const response = await fetch(`${api.url}/api/v1/stacks`);
    assert.equal(response.status, 401);
  });
});

describe('a dashboard that was not built', () => {
  test('GET / answers 503 and says how to build it', async () => {
    const api = await startTestApi({ dashboardDir: '/nonexistent/dashboard' });
    try {
      const { status, body } = await api.request('GET', '/');
      assert.equal(status, 503);
      assert.equal(body.code, 'dashboard_not_built');
      assert.match(body.error, /scripts\/build\.sh/);
    } finally {
      await api.close();
    }
  });
});

describe('the routes the dashboard reads', () => {
  let api: TestApi;
  let gate: Gate;
  let changes = false;

  before(async () => {
    gate = new Gate();
    gate.open();
    const engine = fakeEngine({
      diff: async (project) => stackDiff({ project: project.name, actions: changes ? [plannedAction('web', 'create')] : [] }),
      apply: async () => {
        await gate.wait();
        return { status: 'applied', changes: [{ service: 'web', action: 'create', from: '', to: 'img:1' }], imageIds: { web: 'sha256:1' }, mutated: true };
      },
    });
    api = await startTestApi({ engine });
    await createStack(api, 'shown');
    await createStack(api, 'other');
    await api.core.settled();
  });

  after(async () => {
    gate.open();
    await api?.close();
  });

  test('whoami names the key, its role and its stacks', async () => {
    assert.deepEqual((await api.request('GET', '/api/v1/whoami')).body, { name: 'admin', role: 'admin', stacks: null, stack_grants: null });
    const viewer = await createApiKey(api, 'watcher', 'viewer');
    assert.deepEqual((await api.request('GET', '/api/v1/whoami', undefined, withKey(viewer.key))).body, { name: 'watcher', role: 'viewer', stacks: null, stack_grants: null });
    const limited = await createApiKey(api, 'one stack', 'operator', ['shown']);
    const answer = await api.request('GET', '/api/v1/whoami', undefined, withKey(limited.key));
    assert.equal(answer.status, 200, 'a key limited to some stacks may ask who it is');
    assert.deepEqual(answer.body, { name: 'one stack', role: 'operator', stacks: ['shown'], stack_grants: { shown: 'operator' } });
    assert.equal((await api.request('GET', '/api/v1/whoami', undefined, withKey('acc_wrong'))).status, 403);
  });

  test('each stack carries its last deployment, null before the first', async () => {
    const before = (await api.request('GET', '/api/v1/stacks')).body;
    assert.deepEqual(before.map((s: { last_deployment: unknown }) => s.last_deployment), [null, null]);
    changes = true;
    const { body: accepted } = await api.request('POST', '/api/v1/stacks/shown/deploy');
    await finished(api, 'shown', accepted.deployment_id);
    const listed = (await api.request('GET', '/api/v1/stacks')).body.find((s: { name: string }) => s.name === 'shown');
    assert.equal(listed.last_deployment.id, accepted.deployment_id);
    assert.equal(listed.last_deployment.status, 'completed');
    assert.equal(listed.last_deployment.trigger, 'manual');
    assert.equal('changes' in listed.last_deployment, false, 'the list carries a summary, not the changes');
    assert.deepEqual((await api.request('GET', '/api/v1/stacks/shown')).body.last_deployment, listed.last_deployment);
    assert.equal((await api.request('GET', '/api/v1/stacks/other')).body.last_deployment, null);
  });

  test('the supervisor shows a deploy holding its slot, and gives it back', async () => {
    const idle = (await api.request('GET', '/api/v1/supervisor')).body;
    assert.deepEqual(idle, { deploy_slots: { in_use: 0, limit: 4, waiting: 0 }, stack_actors: { running: 2, busy: 0, restarted: 0 }, parked: [] });
    gate = new Gate();
    await api.request('POST', '/api/v1/stacks/shown/deploy');
    await gate.entered;
    const busy = (await api.request('GET', '/api/v1/supervisor')).body;
    assert.deepEqual(busy.deploy_slots, { in_use: 1, limit: 4, waiting: 0 });
    assert.equal(busy.stack_actors.busy, 1);
    gate.open();
    await api.core.settled();
    await quickly(async () => (await api.request('GET', '/api/v1/supervisor')).body.deploy_slots.in_use === 0, 'the slot to be given back');
  });

  test('the supervisor is host-wide: a viewer reads it, a key limited to some stacks does not', async () => {
    const viewer = await createApiKey(api, 'figures viewer', 'viewer');
    assert.equal((await api.request('GET', '/api/v1/supervisor', undefined, withKey(viewer.key))).status, 200);
    const limited = await createApiKey(api, 'figures limited', 'viewer', ['shown']);
    assert.equal((await api.request('GET', '/api/v1/supervisor', undefined, withKey(limited.key))).status, 403);
  });

  test('transitions page on with ?before=<id>: newest first, no overlap, nothing left out', async () => {
    const all = (await api.request('GET', '/api/v1/stacks/shown/transitions?limit=1000')).body as Array<{ id: number }>;
    assert.ok(all.length >= 8, `enough transitions to page (${all.length})`);
    const pages: number[] = [];
    let before: number | undefined;
    for (;;) {
      const { status, body } = await api.request('GET', `/api/v1/stacks/shown/transitions?limit=3${before ? `&before=${before}` : ''}`);
      assert.equal(status, 200);
      if (body.length === 0) break;
      pages.push(...body.map((t: { id: number }) => t.id));
      before = body.at(-1).id;
    }
    assert.deepEqual(pages, all.map((t) => t.id));
    assert.deepEqual([...pages].sort((a, b) => b - a), pages, 'newest first');
    for (const query of ['before=0', 'before=x', 'after=3']) {
      assert.equal((await api.request('GET', `/api/v1/stacks/shown/transitions?${query}`)).status, 400, query);
    }
  });

  test('the machine names the public states its chart is built of', async () => {
    const { body } = await api.request('GET', '/api/v1/machine');
    assert.deepEqual(body.public_states, ['idle', 'fetching', 'diffing', 'awaiting_approval', 'deploying', 'verifying', 'rolling_back', 'failed', 'paused', 'deleted']);
    const paths = new Set(body.states.map((s: { path: string }) => s.path));
    assert.ok(body.public_states.every((name: string) => body.states.some((s: { name: string }) => s.name === name)));
    assert.ok(paths.has('rollout.deploying.applying'));
    assert.ok(paths.has('awaiting_approval.waiting'), 'the approval wait is drawn too');
  });
});
