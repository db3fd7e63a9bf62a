import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../persistence/database.ts';
import { SnapshotStore } from '../../persistence/snapshot-store.ts';
import { snapshot, tempDir, testSealer } from './helpers.ts';

// Snapshots hold a container's whole configuration, resolved secrets in its environment
// included: they are sealed on the way into SQLite.

const MARKER = 'hunter2-snapshot-marker';

test("a snapshot's environment never reaches the database file in plaintext, and comes back whole", async (t) => {
  const dir = await tempDir(t);
  const db = await openDatabase(join(dir, 'accelero.db'));
  t.after(() => db.close());
  const store = new SnapshotStore(db, testSealer);
  const taken = snapshot('web', 'shop-web-1', 'c1', { Env: [`DB_PASSWORD=${MARKER}`, 'PLAIN=1'] });
  await store.save('s', 'd1', [taken]);
  assert.deepEqual(await store.load('d1'), [taken]);
  const files = await Promise.all(['accelero.db', 'accelero.db-wal'].map((f) => readFile(join(dir, f)).catch(() => Buffer.alloc(0))));
  assert.equal(files.some((bytes) => bytes.includes(MARKER)), false);
});

test('a snapshot row written before snapshots were sealed is still read', async (t) => {
  const dir = await tempDir(t);
  const db = await openDatabase(join(dir, 'accelero.db'));
  t.after(() => db.close());
  const legacy = snapshot('web', 'shop-web-1', 'c1');
  await db.dataSource.query(
    'INSERT INTO service_snapshots (deployment_id, stack_id, service, container_name, container_id, snapshot, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ['d0', 's', 'web', 'shop-web-1', 'c1', JSON.stringify(legacy), new Date().toISOString()],
  );
  assert.deepEqual(await new SnapshotStore(db, testSealer).load('d0'), [legacy]);
});
