import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { createStack } from './helpers.ts';

// Probes, Prometheus metrics, request-id logging and draining, through the app served in-process.

describe('health, readiness, metrics and request logs', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi();
  });

  after(async () => {
    await api?.close();
  });

  test('/health answers ok without a key', async () => {
    const response = await fetch(`${api.url}/health`);
    assert.deepEqual([response.status, await response.json()], [200, { status: 'ok' }]);
  });

  test('/readyz reports the database and Docker checks', async () => {
    const response = await fetch(`${api.url}/readyz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', checks: { database: 'ok', docker: 'ok' } });
  });

  test('/metrics answers Prometheus text without a key', async () => {
    const response = await fetch(`${api.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  });

  test('/metrics declares the deployment, drift, reconcile and webhook metrics', async () => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    for (const [name, type] of [
      ['accelero_deployments_total', 'counter'], ['accelero_deploy_duration_seconds', 'histogram'],
      ['accelero_drift_items', 'gauge'], ['accelero_reconcile_cycles_total', 'counter'],
      ['accelero_webhook_rejections_total', 'counter'], ['accelero_http_requests_total', 'counter'],
    ]) {
      assert.match(text, new RegExp(`# TYPE ${name} ${type}`), name);
    }
  });

  test('HTTP requests are counted by route pattern, not by concrete path', async () => {
    await createStack(api, 'metrics-stack');
    await api.request('GET', '/api/v1/stacks/metrics-stack');
    const text = await (await fetch(`${api.url}/metrics`)).text();
    assert.match(text, /accelero_http_requests_total\{method="GET",route="\/api\/v1\/stacks\/:id",status="200"\} [1-9]/);
    assert.equal(text.includes('route="/api/v1/stacks/metrics-stack"'), false);
  });

  test('a request id sent by the caller is echoed and stamped on the request log line', async () => {
    const response = await fetch(`${api.url}/api/v1/stacks`, { headers: { 'x-api-key': api.apiKey, 'x-request-id': 'trace-7f3a-01' } });
    assert.equal(response.headers.get('x-request-id'), 'trace-7f3a-01');
    // The line is written before the answer is sent.
    const line = api.logLines().find((l) => l.request_id === 'trace-7f3a-01' && l.path === '/api/v1/stacks');
    assert.deepEqual([line?.status, line?.method, line?.msg], [200, 'GET', 'request']);
  });

  test('a request without an id gets a generated one', async () => {
    const response = await fetch(`${api.url}/healthz`);
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('a request id with spaces or control characters is replaced', async () => {
    const response = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'evil id\tinjected' } });
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('probes and scrapes log at debug, API requests at info', async () => {
    await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'probe-1' } });
    await fetch(`${api.url}/api/v1/stacks`, { headers: { 'x-api-key': api.apiKey, 'x-request-id': 'call-1' } });
    const levelOf = (id: string) => api.logLines().find((l) => l.request_id === id)?.level;
    assert.deepEqual([levelOf('probe-1'), levelOf('call-1')], [20, 30]);
  });

  test('the bootstrap API key never appears in the log', () => {
    assert.ok(api.logLines().length > 0, 'requests were logged');
    assert.equal(api.logText().includes(api.apiKey), false);
  });
});

describe('readiness and draining', () => {
  let api: TestApi;
  let docker = 'Docker engine not reachable at unix:///nowhere.sock';

  before(async () => {
    api = await startTestApi({ docker: async () => docker });
  });

  after(async () => {
    await api?.close();
  });

  test('/readyz answers 503 not_ready with the reason while the engine is away', async () => {
    const response = await fetch(`${api.url}/readyz`);
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), { status: 'not_ready', checks: { database: 'ok', docker } });
  });

  test('while draining /readyz answers 503 draining, mutations are refused and reads still answer', async () => {
    docker = 'ok';
    api.setDraining(true);
    const readyz = await fetch(`${api.url}/readyz`);
    assert.deepEqual([readyz.status, (await readyz.json()).status], [503, 'draining']);
    const { status, body } = await api.request('POST', '/api/v1/stacks', { name: 'late', repo_url: '/x' });
    assert.deepEqual([status, body.code], [503, 'draining']);
    assert.equal((await api.request('GET', '/api/v1/stacks')).status, 200);
    assert.equal((await api.request('GET', '/api/v1/stacks/late')).status, 404);
  });
});
