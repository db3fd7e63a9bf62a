import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { createStack, finished } from './helpers.ts';

// The stack and deployment routes of docs/api.md, each success code and documented error code,
// through the app served in-process (git and Docker faked).

describe('stack and deployment routes', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi();
    await createStack(api, 'routes-main', { repo_token: 'tok-secret-1', docker_password: 'reg-secret-2' });
  });

  after(async () => {
    await api?.close();
  });

  test('create answers 201 with defaults filled in and secrets only as booleans', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks', { name: 'routes-defaults', repo_url: '/nonexistent/defaults', auto_deploy: false, reconcile_interval_seconds: 0, repo_token: 'tok-secret-3' });
    assert.equal(status, 201);
    assert.deepEqual([body.compose_path, body.repo_branch, body.has_repo_token, body.repo_token], ['docker-compose.yaml', 'main', true, undefined]);
  });

  test('no secret of a stack appears in any answer', async () => {
    const answers = JSON.stringify([(await api.request('GET', '/api/v1/stacks')).body, (await api.request('GET', '/api/v1/stacks/routes-main')).body]);
    for (const secret of ['tok-secret-1', 'reg-secret-2', 'tok-secret-3']) assert.equal(answers.includes(secret), false, secret);
  });

  test('update answers 200 with the changed fields', async () => {
    const { status, body } = await api.request('PUT', '/api/v1/stacks/routes-main', { repo_branch: 'release', service_filter: 'web,worker' });
    assert.equal(status, 200);
    assert.deepEqual([body.repo_branch, body.service_filter], ['release', 'web,worker']);
  });

  test('update of an unknown stack is a 404', async () => {
    assert.equal((await api.request('PUT', '/api/v1/stacks/routes-nope', { repo_branch: 'x' })).status, 404);
  });

  test('update with a wrong type is a 400 that names the field', async () => {
    const { status, body } = await api.request('PUT', '/api/v1/stacks/routes-main', { auto_deploy: 'yes' });
    assert.equal(status, 400);
    assert.match(body.error, /auto_deploy/);
  });

  test('deploy answers 202 with a deployment id', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks/routes-main/deploy');
    assert.equal(status, 202);
    assert.equal(body.status, 'accepted');
    assert.equal(typeof body.deployment_id, 'string');
  });

  test('the deployment list is cut to ?limit entries, newest first', async () => {
    // Two deploys one after the other (a deploy during a cycle would share its deployment).
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { body } = await api.request('POST', '/api/v1/stacks/routes-main/deploy');
      await finished(api, 'routes-main', body.deployment_id);
      ids.push(body.deployment_id);
    }
    const all = await api.request('GET', '/api/v1/stacks/routes-main/deployments');
    assert.ok(all.body.length >= 2, `${all.body.length} deployments`);
    const { status, body } = await api.request('GET', '/api/v1/stacks/routes-main/deployments?limit=1');
    assert.equal(status, 200);
    assert.deepEqual(body.map((d: { id: string }) => d.id), [ids[1]]);
    assert.equal(body[0].steps, undefined, 'the list shows no steps');
  });

  test('one deployment is shown with its steps', async () => {
    const { body: accepted } = await api.request('POST', '/api/v1/stacks/routes-main/deploy');
    const done = await finished(api, 'routes-main', accepted.deployment_id);
    const { status, body } = await api.request('GET', `/api/v1/stacks/routes-main/deployments/${accepted.deployment_id}`);
    assert.equal(status, 200);
    assert.deepEqual([body.id, body.status, body.trigger], [accepted.deployment_id, done.status, 'manual']);
    // The fake engine finds nothing to change: the deployment ends with one noop step.
    assert.deepEqual(body.steps.map((s: { step: string }) => s.step), ['noop']);
  });

  test('a deployment of another stack is a 404 under this one', async () => {
    await createStack(api, 'routes-other');
    const { body: accepted } = await api.request('POST', '/api/v1/stacks/routes-other/deploy');
    const { status, body } = await api.request('GET', `/api/v1/stacks/routes-main/deployments/${accepted.deployment_id}`);
    assert.deepEqual([status, body.code], [404, 'not_found']);
    assert.match(body.error, /routes-main/);
  });

  test('an unknown deployment is a 404', async () => {
    const { status, body } = await api.request('GET', '/api/v1/stacks/routes-main/deployments/00000000-0000-0000-0000-000000000000');
    assert.deepEqual([status, body.code], [404, 'not_found']);
  });

  test('a limit outside 1..1000 is a 400 that names limit', async () => {
    const { status, body } = await api.request('GET', '/api/v1/stacks/routes-main/deployments?limit=0');
    assert.equal(status, 400);
    assert.match(body.error, /limit/);
  });

  test('pause and resume answer 200 with the stack', async () => {
    const paused = await api.request('POST', '/api/v1/stacks/routes-main/pause');
    assert.deepEqual([paused.status, paused.body.paused], [200, true]);
    const resumed = await api.request('POST', '/api/v1/stacks/routes-main/resume');
    assert.deepEqual([resumed.status, resumed.body.paused], [200, false]);
  });

  test('state answers 200 with the machine fields', async () => {
    const { status, body } = await api.request('GET', '/api/v1/stacks/routes-main/state');
    assert.equal(status, 200);
    for (const field of ['state', 'sync_status', 'health_status', 'since', 'last_error', 'queued_events']) assert.ok(field in body, field);
  });

  test('transitions answer 200 with a list', async () => {
    const { status, body } = await api.request('GET', '/api/v1/stacks/routes-main/transitions?limit=5');
    assert.equal(status, 200);
    assert.ok(Array.isArray(body));
  });

  test('delete answers 200 deleted and the stack is gone', async () => {
    await createStack(api, 'routes-doomed');
    const { status, body } = await api.request('DELETE', '/api/v1/stacks/routes-doomed?remove_containers=true');
    assert.deepEqual([status, body], [200, { status: 'deleted' }]);
    assert.equal((await api.request('GET', '/api/v1/stacks/routes-doomed')).status, 404);
    assert.deepEqual(api.core.engine.callsOf('removeStack'), [['routes-doomed', { volumes: false }]]);
  });

  test('delete without remove_containers leaves the containers to the operator', async () => {
    await createStack(api, 'routes-kept');
    const { status } = await api.request('DELETE', '/api/v1/stacks/routes-kept');
    assert.equal(status, 200);
    assert.equal(api.core.engine.callsOf('removeStack').some(([name]) => name === 'routes-kept'), false);
    assert.ok(api.core.git.calls.some((c) => c.method === 'forget' && c.stack === 'routes-kept'), 'its exports are removed');
  });

  test('delete with remove_volumes=true removes the volumes too', async () => {
    await createStack(api, 'routes-volumes');
    await api.request('DELETE', '/api/v1/stacks/routes-volumes?remove_containers=true&remove_volumes=true');
    assert.deepEqual(api.core.engine.callsOf('removeStack').find(([name]) => name === 'routes-volumes'), ['routes-volumes', { volumes: true }]);
  });

  test('delete with a query value other than true or false is a 400 and deletes nothing', async () => {
    const { status } = await api.request('DELETE', '/api/v1/stacks/routes-main?remove_containers=yes');
    assert.equal(status, 400);
    assert.equal((await api.request('GET', '/api/v1/stacks/routes-main')).status, 200);
  });

  test('an unknown route is a 404 JSON error', async () => {
    const { status, body } = await api.request('GET', '/api/v1/nothing-here');
    assert.deepEqual([status, body.code], [404, 'not_found']);
  });

  test('a method a route does not have is a 405 JSON error', async () => {
    const { status, body } = await api.request('PATCH', '/api/v1/stacks/routes-main', {});
    assert.deepEqual([status, body.code], [405, 'method_not_allowed']);
  });
});
