// Database size while idle stacks reconcile far more often than anyone would run them, to show
// that history stays bounded once retention applies.
// Usage: node --import tsx bench/retention.ts [stacks=50] [minutes=10] [retentionTransitions=2000]
//
// Creates the stacks on one local git repository (one busybox service each) through the API,
// then sets their reconcile interval to 1 s in the database (the API's minimum is 5 s) and
// restarts the daemon. Every minute it prints the size of the database files and the row
// counts; with 1 s cycles (three transitions each) a stack reaches RETENTION_TRANSITIONS after
// about retentionTransitions / 180 minutes, and the size should stay flat from then on.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { eventually, startDaemon, type TestDaemon } from '../test/support/daemon.ts';
import { cleanupStack } from '../test/support/docker.ts';
import { createGitRepo } from '../test/support/git-repo.ts';
import { idleStackCompose } from './idle-stack.ts';

const stackCount = Number(process.argv[2] ?? 50);
const minutes = Number(process.argv[3] ?? 10);
const retention = process.argv[4] ?? '2000';
const prefix = `acct-retention-${process.pid}`;
const compose = idleStackCompose;

function sql<T>(path: string, query: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path, (error) => {
      if (error) return reject(error);
      db.all(query, (err, rows) => db.close(() => (err ? reject(err) : resolve(rows as T[]))));
    });
  });
}

async function sizeMiB(path: string): Promise<number> {
  let bytes = 0;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) bytes += await stat(file).then((s) => s.size, () => 0);
  return bytes / 1024 / 1024;
}

async function report(label: string, dbPath: string): Promise<void> {
  const [counts] = await sql<{ transitions: number; deployments: number; drift: number }>(dbPath,
    'SELECT (SELECT COUNT(*) FROM transitions) AS transitions, (SELECT COUNT(*) FROM deployments) AS deployments, (SELECT COUNT(*) FROM drift_reports) AS drift');
  console.log(`${label.padEnd(10)} database ${(await sizeMiB(dbPath)).toFixed(2)} MiB; transitions ${counts!.transitions}, deployments ${counts!.deployments}, drift reports ${counts!.drift}`);
}

const env = { LOG_LEVEL: 'info', RETENTION_TRANSITIONS: retention };
const repo = await createGitRepo({ 'docker-compose.yaml': compose });
const names = Array.from({ length: stackCount }, (_, i) => `${prefix}-${i}`);
let daemon: TestDaemon = await startDaemon({ env });
const dbPath = join(daemon.dataDir, 'accelero.db');
try {
  for (const name of names) {
    const { status } = await daemon.request('POST', '/api/v1/stacks', { name, repo_url: repo.dir, reconcile_interval_seconds: 60 });
    if (status !== 201) throw new Error(`creating ${name}: ${status}`);
  }
  await eventually(async () => {
    const stacks = (await daemon.request<Array<{ sync_status: string }>>('GET', '/api/v1/stacks')).body;
    return stacks.filter((s) => s.sync_status === 'synced').length === stackCount;
  }, 'every stack to deploy', 1_800_000);
  await daemon.stop();
  await sql(dbPath, `UPDATE stacks SET reconcile_interval_seconds = 1 WHERE name LIKE '${prefix}-%'`);
  daemon = await startDaemon({ dataDir: daemon.dataDir, env });
  console.log(`${stackCount} idle stacks reconciling every 1 s for ${minutes} min, RETENTION_TRANSITIONS=${retention}`);
  await report('start', dbPath);
  for (let minute = 1; minute <= minutes; minute += 1) {
    await new Promise((r) => setTimeout(r, 60_000));
    await report(`${minute} min`, dbPath);
  }
} finally {
  await daemon.stop();
  for (const name of names) await cleanupStack(name);
  await daemon.cleanup();
  await repo.remove();
}
