import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DriftItem, PlannedAction } from '../../src/docker/index.ts';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { quickly } from '../support/eventually.ts';
import { container, driftItem, fakeEngine, plannedAction, stackDiff } from '../support/fake-engine.ts';
import { fakeSha } from '../support/fake-git.ts';
import { createStack, finished } from './helpers.ts';

// Drift, preview, containers and rollback as the API presents them, with the engine's answers
// and git's commits chosen by the test.

describe('drift, preview and containers', () => {
  let api: TestApi;
  let drift: DriftItem[] = [];
  let actions: PlannedAction[] = [];

  before(async () => {
    const engine = fakeEngine({
      diff: async (project) => stackDiff({ project: project.name, drift, actions }),
      listContainers: async (stack) => [container(stack, 'web')],
    });
    api = await startTestApi({ engine });
    await createStack(api, 'views');
    await api.core.settled();
  });

  after(async () => {
    await api?.close();
  });

  test('drift lists what differs, presented as docs/api.md says, and is recorded', async () => {
    drift = [driftItem('web', 'missing')];
    const { status, body } = await api.request('GET', '/api/v1/stacks/views/drift');
    assert.equal(status, 200);
    assert.equal(body.has_drift, true);
    assert.deepEqual(body.drifts, [{ service_name: 'web', type: 'missing', expected: 'running', actual: 'missing', message: 'web is missing' }]);
    const stack = (await api.core.stores.stacks.find('views'))!;
    const stored = await api.core.stores.drift.latest(stack.id);
    assert.deepEqual([stored?.has_drift, stored?.checked_at], [true, body.checked_at]);
  });

  test('looking at drift pulls nothing from a registry', async () => {
    const [, stackName, request] = api.core.engine.callsOf('diff').at(-1)!;
    assert.deepEqual([stackName, (request as { pull?: boolean }).pull], ['views', false]);
  });

  test('preview answers with the commit git resolves and the actions a deploy would take', async () => {
    actions = [plannedAction('web', 'create'), plannedAction('db', 'none')];
    const { status, body } = await api.request('POST', '/api/v1/stacks/views/preview');
    assert.equal(status, 200);
    assert.deepEqual([body.git_commit, body.has_changes], [fakeSha('/nonexistent/views'), true]);
    assert.deepEqual(body.actions.map((a: { service_name: string; action: string }) => `${a.service_name}:${a.action}`), ['web:create', 'db:none']);
  });

  test('preview deploys nothing', async () => {
    const stack = (await api.core.stores.stacks.find('views'))!;
    assert.equal(api.core.engine.callsOf('apply').length, 0);
    assert.deepEqual(await api.core.stores.deployments.listForStack(stack.id), []);
  });

  test('containers lists the containers the engine finds by label, with replica and ports', async () => {
    const { status, body } = await api.request('GET', '/api/v1/stacks/views/containers');
    assert.equal(status, 200);
    assert.deepEqual(body.map((c: { service: string; replica: number; health: string }) => [c.service, c.replica, c.health]), [['web', 1, 'healthy']]);
    assert.deepEqual(body[0].ports, [{ private_port: 80, public_port: 8080, ip: '0.0.0.0', type: 'tcp' }]);
  });

  test('drift of an unknown stack is a 404 and asks nothing of the engine', async () => {
    const before = api.core.engine.calls.length;
    const { status, body } = await api.request('GET', '/api/v1/stacks/nope/drift');
    assert.deepEqual([status, body.code], [404, 'not_found']);
    assert.equal(api.core.engine.calls.length, before);
  });
});

describe('rollback', () => {
  let api: TestApi;
  const url = '/nonexistent/rolling';
  const first = fakeSha('first commit');
  const second = fakeSha('second commit');
  const deployed: string[] = [];

  before(async () => {
    api = await startTestApi();
    await createStack(api, 'rolling');
    await createStack(api, 'rolling-fresh');
    for (const commit of [first, second]) {
      api.core.git.setHead(url, commit);
      const { body } = await api.request('POST', '/api/v1/stacks/rolling/deploy');
      assert.equal((await finished(api, 'rolling', body.deployment_id)).status, 'completed');
      deployed.push(body.deployment_id);
    }
  });

  after(async () => {
    await api?.close();
  });

  test('a stack without a completed deployment of another commit is a 409', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks/rolling-fresh/rollback', {});
    assert.deepEqual([status, body.code], [409, 'conflict']);
    assert.match(body.error, /rolling-fresh/);
  });

  test('an unknown deployment_id is a 404 that names it', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks/rolling/rollback', { deployment_id: 'no-such-deployment' });
    assert.deepEqual([status, body.code], [404, 'not_found']);
    assert.match(body.error, /no-such-deployment/);
  });

  test('a deployment of another stack is a 404', async () => {
    const { status } = await api.request('POST', '/api/v1/stacks/rolling-fresh/rollback', { deployment_id: deployed[0] });
    assert.equal(status, 404);
  });

  test('by default it redeploys the last completed commit before the current one and pins the stack', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks/rolling/rollback', {});
    assert.equal(status, 202, JSON.stringify(body));
    assert.deepEqual([body.rollback_to, body.git_commit], [deployed[0], first]);
    const done = await finished(api, 'rolling', body.deployment_id);
    assert.deepEqual([done.status, (done as { trigger?: string }).trigger], ['completed', 'rollback']);
    assert.ok(api.core.git.calls.some((c) => c.method === 'checkout' && c.commit === first), 'the first commit is checked out');
    await quickly(async () => (await api.request('GET', '/api/v1/stacks/rolling')).body.paused === true, 'the stack to be pinned');
  });

  test('a deployment that did not complete cannot be rolled back to', async () => {
    const stack = (await api.core.stores.stacks.find('rolling'))!;
    const pending = await api.core.stores.deployments.createPending(stack, 'manual');
    await api.core.stores.deployments.finish(pending.id, { status: 'failed', git_commit: second });
    const { status, body } = await api.request('POST', '/api/v1/stacks/rolling/rollback', { deployment_id: pending.id });
    assert.deepEqual([status, body.code], [409, 'conflict']);
    assert.match(body.error, /failed/);
  });
});
