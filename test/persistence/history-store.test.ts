import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase, type Database } from '../../persistence/database.ts';
import type { DeploymentRecord, DeploymentStatus, StackRecord } from '../../persistence/entities/records.ts';
import { HistoryStore, type RetentionLimits } from '../../persistence/history-store.ts';
import { tempDir, transition } from './helpers.ts';

// Retention and stack deletion on real SQLite files.

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

async function database(t: { after(fn: () => Promise<void>): void }): Promise<Database> {
  const db = await openDatabase(join(await tempDir(t), 'accelero.db'));
  t.after(() => db.close());
  return db;
}

function stackRow(id: string): StackRecord {
  return {
    id, name: id, repo_url: '/tmp/repo', repo_branch: 'main', repo_ref: null, compose_path: 'compose.yaml',
    service_filter: null, auto_deploy: true, requires_approval: false, reconcile_interval_seconds: 60, repo_username: null,
    repo_token_sealed: null, repo_ssh_key_sealed: null, docker_registry: null, docker_username: null,
    docker_password_sealed: null, paused: false, state: 'idle', sync_status: 'synced', health_status: 'healthy',
    last_error: null, failed_commit: null, git_commit: null, last_deployed_at: null, last_reconciled_at: null,
    created_at: at(0), updated_at: at(0),
  };
}

/** A stack with deployments of the given statuses (oldest first), two snapshots each, transitions and drift. */
async function seedStack(db: Database, stackId: string, statuses: DeploymentStatus[], transitions = 10) {
  const ds = db.dataSource;
  await ds.getRepository('Stack').insert(stackRow(stackId));
  const deployments: DeploymentRecord[] = statuses.map((status, i) => ({
    id: `${stackId}-d${String(i).padStart(3, '0')}`, stack_id: stackId, stack_name: stackId, status, trigger: 'manual',
    git_commit: null, changes: [], steps: [], image_ids: {}, error_message: null, started_at: at(i), completed_at: null,
  }));
  if (deployments.length > 0) await ds.getRepository('Deployment').insert(deployments);
  const snapshots = deployments.flatMap((d) => ['web', 'db'].map((service) => ({
    deployment_id: d.id, stack_id: stackId, service, container_name: `${service}-1`, container_id: null, snapshot: {}, created_at: d.started_at,
  })));
  if (snapshots.length > 0) await ds.getRepository('ServiceSnapshot').insert(snapshots);
  for (let i = 0; i < transitions; i += 1) await ds.getRepository('Transition').insert(transition(stackId, i));
  await ds.getRepository('DriftReport').insert({ stack_id: stackId, checked_at: at(0), has_drift: false, drifts: [] });
  return deployments.map((d) => d.id);
}

/** The distinct deployment ids a table holds for the stack. */
async function deploymentIds(db: Database, table: 'deployments' | 'service_snapshots', stackId: string): Promise<string[]> {
  const column = table === 'deployments' ? 'id' : 'deployment_id';
  const rows = await db.dataSource.createQueryBuilder().select(column, 'v').distinct().from(table, 'x')
    .where('stack_id = :stackId', { stackId }).getRawMany<{ v: string }>();
  return rows.map((r) => r.v).sort();
}

async function count(db: Database, table: string, stackId: string, column = 'stack_id'): Promise<number> {
  return db.dataSource.createQueryBuilder().from(table, 'x').where(`${column} = :stackId`, { stackId }).getCount();
}

const limits = (overrides: Partial<RetentionLimits>): RetentionLimits => ({ transitions: 2000, deployments: 200, auditDays: 90, ...overrides });

test('pruning keeps the newest transitions of the stack and leaves other stacks alone', async (t) => {
  const db = await database(t);
  await seedStack(db, 'a', [], 12);
  await seedStack(db, 'b', [], 12);
  const result = await new HistoryStore(db, limits({ transitions: 5 })).pruneStack('a');
  assert.equal(result.transitions, 7);
  const kept = await db.dataSource.getRepository('Transition').find({ where: { stack_id: 'a' }, order: { id: 'ASC' } });
  assert.deepEqual(kept.map((r) => r.from_state), ['s7', 's8', 's9', 's10', 's11']);
  assert.equal(await count(db, 'transitions', 'b'), 12);
});

test('pruning keeps the newest deployments, every unfinished one and the newest completed, with their snapshots', async (t) => {
  const db = await database(t);
  const ids = await seedStack(db, 'a', [
    'completed', 'pending', 'completed', 'in_progress', 'failed', 'rolled_back', 'interrupted', 'failed', 'failed', 'rolled_back',
  ]);
  await seedStack(db, 'b', ['completed', 'failed', 'failed', 'failed']);
  const result = await new HistoryStore(db, limits({ deployments: 3 })).pruneStack('a');

  // The newest three (7, 8, 9), the unfinished (1, 3) and the newest completed (2).
  const kept = [ids[1], ids[2], ids[3], ids[7], ids[8], ids[9]].map(String).sort();
  assert.deepEqual(await deploymentIds(db, 'deployments', 'a'), kept);
  assert.deepEqual(await deploymentIds(db, 'service_snapshots', 'a'), kept);
  assert.deepEqual(result, { transitions: 0, deployments: 4, snapshots: 8 });
  assert.equal(await count(db, 'deployments', 'b'), 4);
  assert.equal(await count(db, 'service_snapshots', 'b'), 8);
});

test('pruning a stack within its limits deletes nothing', async (t) => {
  const db = await database(t);
  await seedStack(db, 'a', ['completed', 'failed'], 3);
  assert.deepEqual(await new HistoryStore(db, limits({ transitions: 3, deployments: 2 })).pruneStack('a'), { transitions: 0, deployments: 0, snapshots: 0 });
  assert.equal(await count(db, 'deployments', 'a'), 2);
});

test('audit entries older than the retention are deleted, newer ones kept', async (t) => {
  const db = await database(t);
  const now = Date.parse('2026-06-01T00:00:00.000Z');
  const day = 24 * 60 * 60 * 1000;
  const entry = (ageDays: number) => ({ at: new Date(now - ageDays * day).toISOString(), actor: 'admin', action: 'deploy', target: 'a', outcome: 'ok', detail: null });
  await db.dataSource.getRepository('AuditEntry').insert([entry(200), entry(91), entry(89), entry(1)]);
  assert.equal(await new HistoryStore(db, limits({ auditDays: 90 }), () => now).pruneAudit(), 2);
  const left = await db.dataSource.getRepository('AuditEntry').find({ order: { id: 'ASC' } });
  assert.deepEqual(left.map((e) => e.at), [entry(89).at, entry(1).at]);
});

test('pruneAll prunes every stack and deletes the history of stacks that are gone', async (t) => {
  const db = await database(t);
  await seedStack(db, 'a', ['failed', 'failed', 'completed'], 4);
  await seedStack(db, 'b', ['failed', 'completed'], 4);
  await seedStack(db, 'gone', ['completed'], 4);
  await db.dataSource.getRepository('Stack').delete({ id: 'gone' });
  const result = await new HistoryStore(db, limits({ transitions: 1, deployments: 1 })).pruneAll();
  assert.deepEqual(result, { transitions: 6, deployments: 3, snapshots: 6, audit: 0, orphanedStacks: 1 });
  assert.deepEqual([await count(db, 'transitions', 'gone'), await count(db, 'deployments', 'gone')], [0, 0]);
  assert.deepEqual([await count(db, 'transitions', 'a'), await count(db, 'deployments', 'a')], [1, 1]);
});

test('deleting a stack leaves nothing of it and everything of another stack', async (t) => {
  const db = await database(t);
  await seedStack(db, 'a', ['completed', 'in_progress']);
  await seedStack(db, 'b', ['completed', 'failed']);
  await new HistoryStore(db).deleteStack('a');
  for (const table of ['deployments', 'service_snapshots', 'drift_reports', 'transitions']) {
    assert.equal(await count(db, table, 'a'), 0, table);
  }
  assert.equal(await count(db, 'stacks', 'a', 'id'), 0);
  const b = [await count(db, 'deployments', 'b'), await count(db, 'service_snapshots', 'b'), await count(db, 'drift_reports', 'b'), await count(db, 'transitions', 'b'), await count(db, 'stacks', 'b', 'id')];
  assert.deepEqual(b, [2, 4, 1, 10, 1]);
});

test('deleting a stack is all or nothing: when its last step fails, everything is still there', async (t) => {
  const db = await database(t);
  await seedStack(db, 'a', ['completed']);
  // Test-only SQLite trigger that makes the final statement (the stack row) fail.
  await db.dataSource.query("CREATE TRIGGER refuse_stack_delete BEFORE DELETE ON stacks BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
  await assert.rejects(new HistoryStore(db).deleteStack('a'), /refused by test/);
  const left = [await count(db, 'deployments', 'a'), await count(db, 'service_snapshots', 'a'), await count(db, 'drift_reports', 'a'), await count(db, 'transitions', 'a')];
  assert.deepEqual(left, [1, 2, 1, 10]);
});

test('every statement of pruning and deleting finds its rows through an index', async (t) => {
  const db = await database(t);
  await seedStack(db, 'a', ['completed', 'failed', 'failed', 'failed']);
  const statements = recordStatements(db);
  const history = new HistoryStore(db, limits({ transitions: 2, deployments: 1 }));
  await history.pruneStack('a');
  await history.pruneAudit();
  await history.deleteStack('a');
  const plans: string[] = [];
  for (const { sql, parameters } of statements.filter((s) => /^(SELECT|DELETE)/.test(s.sql))) {
    const rows: { detail: string }[] = await db.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, parameters);
    plans.push(...rows.map((r) => r.detail));
  }
  assert.ok(plans.length >= 8, plans.join('\n'));
  assert.deepEqual(plans.filter((detail) => /^SCAN /.test(detail)), []);
});

/** The SQL the shared sqlite query runner executes from now on. */
function recordStatements(db: Database): { sql: string; parameters: unknown[] }[] {
  const statements: { sql: string; parameters: unknown[] }[] = [];
  const runner = db.dataSource.driver.createQueryRunner('master');
  const query = runner.query.bind(runner);
  runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
    statements.push({ sql, parameters: parameters ?? [] });
    return query(sql, parameters, structured as never);
  }) as typeof runner.query;
  return statements;
}
