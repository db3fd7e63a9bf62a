import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';

// What only the daemon's composition root does for the API (the HTTP behaviour itself is
// tested in-process in test/api): the generated bootstrap key, the key kept out of the log,
// and draining after SIGTERM.

describe('the generated bootstrap key', () => {
  let daemon: TestDaemon;

  before(async () => {
    daemon = await startDaemon({ env: { API_KEY: '' } });
  });

  after(async () => {
    await daemon?.stop();
    await daemon?.cleanup();
  });

  test('is written 0600 to the data directory and works as admin', async () => {
    const path = join(daemon.dataDir, 'api-key');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const key = (await readFile(path, 'utf8')).trim();
    assert.match(key, /^acc_[0-9a-f]{64}$/);
    const { status } = await daemon.request('GET', '/api/v1/apikeys', undefined, { 'x-api-key': key });
    assert.equal(status, 200);
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

  test('the API_KEY it was given never appears in the log', async () => {
    assert.equal((await daemon.request('GET', '/api/v1/stacks')).status, 200);
    // The daemon's stdout reaches this process through a pipe, so the request's line can
    // arrive after its response: wait for it rather than read the log once.
    await eventually(async () => (/"path":"\/api\/v1\/stacks"/.test(daemon.output()) ? true : undefined), 'the request to be logged');
    assert.equal(daemon.output().includes(daemon.apiKey), false);
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
