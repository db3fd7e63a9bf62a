import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../persistence/database.ts';
import { DeploymentStore } from '../../persistence/deployment-store.ts';
import { TransitionStore } from '../../persistence/transition-store.ts';

async function tempDatabasePath(t: { after(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'accelero-db-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'nested', 'accelero.db');
}

test('a new database file is created, migrated and put in WAL mode', async (t) => {
  const db = await openDatabase(await tempDatabasePath(t));
  t.after(() => db.close());
  const [mode] = await db.dataSource.query('PRAGMA journal_mode');
  assert.equal(mode.journal_mode, 'wal');
  const tables = (await db.dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r: { name: string }) => r.name);
  for (const table of ['stacks', 'deployments', 'transitions', 'service_snapshots', 'drift_reports', 'api_keys', 'audit_entries']) {
    assert.ok(tables.includes(table), table);
  }
});

test('reopening a migrated database runs no migration twice and keeps the rows', async (t) => {
  const path = await tempDatabasePath(t);
  const first = await openDatabase(path);
  await new TransitionStore(first).append({ stack_id: 's', from_state: 'idle', to_state: 'fetching', event: 'SYNC', at: new Date().toISOString(), deployment_id: null });
  await first.close();
  const second = await openDatabase(path);
  t.after(() => second.close());
  const migrations = await second.dataSource.query('SELECT name FROM migrations');
  assert.equal(migrations.length, second.dataSource.migrations.length);
  assert.equal((await new TransitionStore(second).listForStack('s')).length, 1);
});

test('transitions appended concurrently are stored in the order they were appended', async (t) => {
  const db = await openDatabase(await tempDatabasePath(t));
  t.after(() => db.close());
  const store = new TransitionStore(db);
  await Promise.all(Array.from({ length: 100 }, (_, i) =>
    store.append({ stack_id: 's', from_state: `s${i}`, to_state: `s${i + 1}`, event: 'E', at: new Date().toISOString(), deployment_id: null })));
  const stored = (await store.listForStack('s', 1000)).reverse();
  assert.deepEqual(stored.map((r) => r.from_state), Array.from({ length: 100 }, (_, i) => `s${i}`));
});

test('concurrent deployment writes from many stacks raise no busy errors', async (t) => {
  const db = await openDatabase(await tempDatabasePath(t));
  t.after(() => db.close());
  const store = new DeploymentStore(db);
  const started = await Promise.all(Array.from({ length: 50 }, (_, i) => store.begin({ id: `s${i}`, name: `stack${i}` }, 'manual', null)));
  await Promise.all(started.flatMap((id) => [
    store.addStep(id, { service: 'web', step: 'create', message: 'created' }),
    store.finish(id, { status: 'completed' }),
  ]));
  const rows = await Promise.all(started.map((id) => store.get(id)));
  assert.ok(rows.every((r) => r?.status === 'completed' && r.steps.length === 1));
});
