import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { eventually, startDaemon } from '../support/daemon.ts';
import { mountSmallDisk } from '../support/small-disk.ts';

// The daemon's data directory on a real small disk that runs full: nothing crashes, writes
// that fail are reported and retried, /readyz says why, and it all works again when space
// returns — also when the disk is already full at start (no crash loop).

const quietStack = (name: string) => ({ name, repo_url: `/nonexistent/${name}`, auto_deploy: false, reconcile_interval_seconds: 0 });

describe('a full disk under the data directory', () => {
  test('writes fail and are reported while the disk is full, and work again once space is back', async (t) => {
    const disk = await mountSmallDisk(t, 24);
    const dataDir = join(disk.path, 'data');
    const daemon = await startDaemon({ dataDir });
    t.after(() => daemon.stop());
    assert.equal((await daemon.request('POST', '/api/v1/stacks', quietStack('acct-full-a'))).status, 201);
    await disk.fill();
    const refused = await daemon.request('POST', '/api/v1/stacks', quietStack('acct-full-b'));
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'database_unavailable');
    const ready = await daemon.request('GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.match(ready.body.checks.database, /disk full/);
    assert.equal((await daemon.request('GET', '/api/v1/stacks')).status, 200, 'reads still answer');
    await disk.free();
    await eventually(async () => (await daemon.request('POST', '/api/v1/stacks', quietStack('acct-full-c'))).status === 201, 'writes to work again', 60_000);
    await eventually(async () => (await daemon.request('GET', '/readyz')).status === 200, '/readyz to be ready again', 60_000);
    const names = (await daemon.request<Array<{ name: string }>>('GET', '/api/v1/stacks')).body.map((s) => s.name);
    assert.deepEqual(names, ['acct-full-a', 'acct-full-c'], 'nothing written before the disk ran full was lost');
    assert.equal(await daemon.stop(), 0, 'a clean exit');
    assert.doesNotMatch(daemon.output(), /Unhandled|unhandledRejection/);
  });

  test('a daemon started on a full disk waits for its database, saying why, and starts once space is back', async (t) => {
    const disk = await mountSmallDisk(t, 24);
    const dataDir = join(disk.path, 'data');
    const first = await startDaemon({ dataDir });
    assert.equal((await first.request('POST', '/api/v1/stacks', quietStack('acct-full-start'))).status, 201);
    assert.equal(await first.stop(), 0);
    await disk.fill();
    const daemon = await startDaemon({ dataDir, until: 'answering' });
    t.after(() => daemon.stop());
    const waiting = await eventually(async () => {
      const ready = await daemon.request('GET', '/readyz');
      return ready.status === 503 && /disk|full|space/i.test(JSON.stringify(ready.body)) ? ready.body : undefined;
    }, '/readyz to say why the daemon waits', 60_000);
    assert.equal(waiting.status, 'starting');
    assert.equal((await daemon.request('GET', '/healthz')).status, 200, 'alive, not crash-looping');
    await disk.free();
    await eventually(async () => (await daemon.request('GET', '/readyz')).status === 200, 'the daemon to start once space is back', 60_000);
    const names = (await daemon.request<Array<{ name: string }>>('GET', '/api/v1/stacks')).body.map((s) => s.name);
    assert.deepEqual(names, ['acct-full-start']);
  });
});
