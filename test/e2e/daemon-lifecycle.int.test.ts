import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually, startDaemon } from '../support/daemon.ts';

// The daemon without an engine, and its shutdown.

describe('daemon lifecycle', () => {
  test('without a Docker engine the daemon says so in one line, serves healthz and answers readyz with 503', async (t) => {
    const socket = '/tmp/accelero-test-no-engine.sock';
    const daemon = await startDaemon({ env: { DOCKER_HOST: `unix://${socket}`, LOG_FORMAT: 'text', LOG_LEVEL: 'info' } });
    t.after(async () => {
      await daemon.stop();
      await daemon.cleanup();
    });
    assert.equal((await daemon.request('GET', '/healthz')).status, 200);
    const ready = await daemon.request('GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.checks.database, 'ok');
    assert.match(ready.body.checks.docker, new RegExp(socket));
    const lines = daemon.output().split('\n').filter((line) => /no Docker engine answers/.test(line));
    assert.equal(lines.length, 1, daemon.output());
    assert.match(lines[0]!, /apt-get install docker\.io|DOCKER_HOST/);
    // Stacks can still be created: nothing is lost while the engine is away.
    const created = await daemon.request('POST', '/api/v1/stacks', { name: 'acct-noengine', repo_url: '/nowhere', auto_deploy: false, reconcile_interval_seconds: 0 });
    assert.equal(created.status, 201);
  });

  test('a second daemon on the same data directory exits non-zero at once, naming the lock and the first one', async (t) => {
    const first = await startDaemon();
    t.after(async () => {
      await first.stop();
      await first.cleanup();
    });
    const pid = JSON.parse(await readFile(join(first.dataDir, 'accelero.lock.owner.json'), 'utf8')).pid as number;
    const second = await startDaemon({ dataDir: first.dataDir }).then(
      (daemon) => { void daemon.stop(); return 'started'; },
      (error: Error) => error.message,
    );
    assert.match(second, /exited with 1 before listening/);
    assert.match(second, /accelero\.lock/);
    assert.match(second, new RegExp(`process ${pid} on `));
    assert.equal((await first.request('GET', '/readyz')).status, 200, 'the first daemon goes on');
  });

  test('SIGTERM stops taking requests and exits 0 with the database closed', async (t) => {
    const daemon = await startDaemon();
    t.after(() => daemon.cleanup());
    assert.equal((await daemon.request('GET', '/readyz')).status, 200);
    assert.equal(await daemon.stop(), 0);
    assert.match(daemon.output(), /shutting down \(SIGTERM\)/);
    assert.match(daemon.output(), /"msg":"stopped"/);
    await assert.rejects(fetch(`${daemon.url}/healthz`));
  });

  test('the machine definition is served as JSON and as a mermaid diagram', async (t) => {
    const daemon = await startDaemon();
    t.after(async () => {
      await daemon.stop();
      await daemon.cleanup();
    });
    const json = await daemon.request('GET', '/api/v1/machine?format=json');
    assert.equal(json.status, 200);
    const names = json.body.states.map((s: { name: string }) => s.name);
    for (const state of ['idle', 'fetching', 'diffing', 'deploying', 'verifying', 'rolling_back', 'failed', 'paused']) {
      assert.ok(names.includes(state), state);
    }
    const mermaid = await daemon.request('GET', '/api/v1/machine?format=mermaid');
    assert.match(mermaid.body, /^stateDiagram-v2\n/);
    assert.match(mermaid.body, /verifying --> rolling_back/);
  });

  test('the event stream delivers the transitions of a stack', async (t) => {
    const daemon = await startDaemon();
    t.after(async () => {
      await daemon.stop();
      await daemon.cleanup();
    });
    await daemon.request('POST', '/api/v1/stacks', { name: 'acct-sse', repo_url: '/nowhere/repo', auto_deploy: false, reconcile_interval_seconds: 0 });
    const controller = new AbortController();
    t.after(() => controller.abort());
    const response = await fetch(`${daemon.url}/api/v1/events?stack=acct-sse`, { headers: { 'x-api-key': daemon.apiKey }, signal: controller.signal });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })().catch(() => undefined);
    await daemon.request('POST', '/api/v1/stacks/acct-sse/deploy');
    await eventually(async () => /event: transition\ndata: .*"to":"fetching"/.test(text) && /"to":"failed"/.test(text), 'transitions on the stream', 30_000);
    controller.abort();
    await read;
  });
});
