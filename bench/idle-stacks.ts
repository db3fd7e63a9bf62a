// Resident memory and CPU of the daemon with N stacks that reconcile every 30 s with nothing
// to change. Usage: node --import tsx bench/idle-stacks.ts [stacks=200] [measureSeconds=120]
//
// Starts a real daemon (bin/accelero serve) on a temp data directory, creates N stacks on one
// local git repository (one busybox service each), waits until every stack has deployed, then
// samples /proc/<pid> while the stacks reconcile. Cleans up every container it created.

import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { eventually, startDaemon } from '../test/support/daemon.ts';
import { cleanupStack } from '../test/support/docker.ts';
import { createGitRepo } from '../test/support/git-repo.ts';
import { idleStackCompose } from './idle-stack.ts';

const stackCount = Number(process.argv[2] ?? 200);
const measureSeconds = Number(process.argv[3] ?? 120);
const prefix = `acct-bench-${process.pid}`;

const compose = idleStackCompose;

async function processStats(pid: number): Promise<{ rssMiB: number; cpuSeconds: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  return { rssMiB: rssKiB / 1024, cpuSeconds: ticks / 100 };
}

async function daemonPid(dataDir: string): Promise<number> {
  const { execFile } = await import('node:child_process');
  const out = await new Promise<string>((resolve) => execFile('pgrep', ['-f', `${dataDir}|src/cli/index.ts serve`], (_e, stdout) => resolve(stdout)));
  for (const pid of out.split('\n').filter(Boolean).map(Number)) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (environ.includes(dataDir)) return pid;
  }
  throw new Error('daemon process not found');
}

const repo = await createGitRepo({ 'docker-compose.yaml': compose });
const daemon = await startDaemon({ env: { LOG_LEVEL: 'info', MAX_CONCURRENT_DEPLOYS: '4' } });
const names = Array.from({ length: stackCount }, (_, i) => `${prefix}-${i}`);
try {
  const pid = await daemonPid(daemon.dataDir);
  const started = performance.now();
  for (const name of names) {
    const { status } = await daemon.request('POST', '/api/v1/stacks', { name, repo_url: repo.dir, reconcile_interval_seconds: 30 });
    if (status !== 201) throw new Error(`creating ${name}: ${status}`);
  }
  await eventually(async () => {
    const stacks = (await daemon.request<Array<{ git_commit: string | null; sync_status: string }>>('GET', '/api/v1/stacks')).body;
    return stacks.filter((s) => s.sync_status === 'synced').length === stackCount;
  }, 'every stack to deploy', 1_800_000);
  const deployedSeconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 5_000));
  const before = await processStats(pid);
  await new Promise((r) => setTimeout(r, measureSeconds * 1000));
  const after = await processStats(pid);
  const cpuPerMinute = ((after.cpuSeconds - before.cpuSeconds) / measureSeconds) * 60;
  console.log(`stacks: ${stackCount} (one container each), reconcile interval 30 s, ${cpus().length} cores`);
  console.log(`time to create and deploy all stacks: ${deployedSeconds.toFixed(1)} s`);
  console.log(`resident memory while idle: ${after.rssMiB.toFixed(1)} MiB`);
  console.log(`CPU while reconciling with nothing to change: ${cpuPerMinute.toFixed(2)} CPU-seconds per minute (${((cpuPerMinute / 60) * 100).toFixed(1)}% of one core), measured over ${measureSeconds} s`);
} finally {
  await daemon.stop();
  for (const name of names) await cleanupStack(name);
  await daemon.cleanup();
  await repo.remove();
}
