import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { createStack } from './helpers.ts';

// Probes, Prometheus metrics and request-id logging, through the daemon.

describe('health, readiness, metrics and request logs', () => {
  let daemon: TestDaemon;

  before(async () => {
    daemon = await startDaemon();
  });

  after(async () => {
    await daemon?.stop();
    await daemon?.cleanup();
  });

  test('/health answers ok without a key', async () => {
    const response = await fetch(`${daemon.url}/health`);
    assert.deepEqual([response.status, await response.json()], [200, { status: 'ok' }]);
  });

  test('/readyz reports the database and Docker checks', async () => {
    const response = await fetch(`${daemon.url}/readyz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', checks: { database: 'ok', docker: 'ok' } });
  });

  test('/metrics answers Prometheus text without a key', async () => {
    const response = await fetch(`${daemon.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  });

  test('/metrics declares the deployment, drift, reconcile and webhook metrics', async () => {
    const text = await (await fetch(`${daemon.url}/metrics`)).text();
    for (const [name, type] of [
      ['accelero_deployments_total', 'counter'], ['accelero_deploy_duration_seconds', 'histogram'],
      ['accelero_drift_items', 'gauge'], ['accelero_reconcile_cycles_total', 'counter'],
      ['accelero_webhook_rejections_total', 'counter'], ['accelero_http_requests_total', 'counter'],
    ]) {
      assert.match(text, new RegExp(`# TYPE ${name} ${type}`), name);
    }
  });

  test('HTTP requests are counted by route pattern, not by concrete path', async () => {
    await createStack(daemon, 'metrics-stack');
    await daemon.request('GET', '/api/v1/stacks/metrics-stack');
    const text = await (await fetch(`${daemon.url}/metrics`)).text();
    assert.match(text, /accelero_http_requests_total\{method="GET",route="\/api\/v1\/stacks\/:id",status="200"\} [1-9]/);
    assert.equal(text.includes('route="/api/v1/stacks/metrics-stack"'), false);
  });

  test('a request id sent by the caller is echoed and stamped on the request log line', async () => {
    const response = await fetch(`${daemon.url}/api/v1/stacks`, { headers: { 'x-api-key': daemon.apiKey, 'x-request-id': 'trace-7f3a-01' } });
    assert.equal(response.headers.get('x-request-id'), 'trace-7f3a-01');
    await eventually(async () => logLines(daemon).some((l) => l.request_id === 'trace-7f3a-01' && l.path === '/api/v1/stacks' && l.status === 200), 'the request log line');
  });

  test('a request without an id gets a generated one', async () => {
    const response = await fetch(`${daemon.url}/healthz`);
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('a request id with spaces or control characters is replaced', async () => {
    const response = await fetch(`${daemon.url}/healthz`, { headers: { 'x-request-id': 'evil id\tinjected' } });
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('the bootstrap API key never appears in the log', () => {
    assert.equal(daemon.output().includes(daemon.apiKey), false);
  });
});

describe('draining at shutdown', () => {
  let daemon: TestDaemon;

  before(async () => {
    daemon = await startDaemon({ env: { SHUTDOWN_DRAIN_DELAY: '30s' } });
  });

  after(async () => {
    await daemon?.stop();
    await daemon?.cleanup();
  });

  test('after SIGTERM /readyz answers 503 draining and mutations are refused until the listener closes', async () => {
    const stopped = daemon.stop();
    const readyz = await eventually(async () => {
      const response = await fetch(`${daemon.url}/readyz`);
      return response.status === 503 ? response.json() : undefined;
    }, 'readyz to report draining').catch((error) => {
      throw new Error(`${error.message}\ndaemon output:\n${daemon.output().slice(-3000)}`);
    });
    assert.equal(readyz.status, 'draining');
    const { status, body } = await daemon.request('POST', '/api/v1/stacks', { name: 'late', repo_url: '/x' });
    assert.deepEqual([status, body.code], [503, 'draining']);
    await daemon.kill();
    await stopped;
  });
});

function logLines(daemon: TestDaemon): Array<Record<string, unknown>> {
  return daemon.output().split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}
