// Resident memory and CPU of the daemon with N stacks that reconcile every 30 s with nothing
// to change. Usage: node --import tsx bench/idle-stacks.ts [stacks=200] [measureSeconds=120]
// BENCH_PROFILE_DIR=dir also writes the daemon's CPU profile (at its exit) and a heap snapshot
// (just before it stops) into dir.
//
// Starts a real daemon (bin/accelero serve, the compiled build) on a temp data directory,
// creates N stacks on one local git repository (one busybox service each), waits until every
// stack has deployed, then samples the daemon's whole process tree (/proc: the node process
// with its threads, and every git it runs, exited ones included) while the stacks reconcile.
// Cleans up every container it created.

import { cpus } from 'node:os';
import { eventually, startDaemon, type TestDaemon } from '../test/support/daemon.ts';
import { cleanupStack } from '../test/support/docker.ts';
import { createGitRepo } from '../test/support/git-repo.ts';
import { idleStackCompose } from './idle-stack.ts';
import { cpuByThread, measureTree, threadShares } from './process-tree.ts';

const stackCount = Number(process.argv[2] ?? 200);
const measureSeconds = Number(process.argv[3] ?? 120);
const profileDir = process.env.BENCH_PROFILE_DIR;
const prefix = `acct-bench-${process.pid}`;

// Docker's default bridge takes at most 1023 containers: BENCH_NETWORK_MODE=none for 1000 stacks.
const compose = process.env.BENCH_NETWORK_MODE ? idleStackCompose.replace('network_mode: bridge', `network_mode: ${process.env.BENCH_NETWORK_MODE}`) : idleStackCompose;
const profileOptions: Record<string, string> = profileDir ? { ACCELERO_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${profileDir} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${profileDir}` } : {};

/** A second daemon on the same data directory: how long from its spawn until /readyz answers 200. */
async function readyAfterRestart(dataDir: string): Promise<{ daemon: TestDaemon; listeningMs: number; readyMs: number }> {
  const spawned = performance.now();
  const again = await startDaemon({ dataDir, env });
  const listeningMs = performance.now() - spawned;
  for (;;) {
    const status = await fetch(`${again.url}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) return { daemon: again, listeningMs, readyMs: performance.now() - spawned };
    if (performance.now() - spawned > 120_000) throw new Error('/readyz did not answer 200 within 120 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const repo = await createGitRepo({ 'docker-compose.yaml': compose });
const env = { LOG_LEVEL: 'info', MAX_CONCURRENT_DEPLOYS: '4' };
const daemon = await startDaemon({ env: { ...env, ...profileOptions } });
let current = daemon;
const names = Array.from({ length: stackCount }, (_, i) => `${prefix}-${i}`);
try {
  const { pid } = daemon;
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
  const threadsBefore = await cpuByThread(pid);
  const idle = await measureTree(pid, measureSeconds);
  const threads = threadShares(threadsBefore, await cpuByThread(pid), measureSeconds);
  const metrics = await fetch(`${daemon.url}/metrics`).then((r) => r.text()).catch(() => '');
  const cycles = /accelero_reconcile_cycles_total\{outcome="in_sync"\} (\d+)/.exec(metrics)?.[1] ?? '?';
  console.log(`stacks: ${stackCount} (one container each), reconcile interval 30 s, ${cpus().length} cores`);
  console.log(`time to create and deploy all stacks: ${deployedSeconds.toFixed(1)} s`);
  console.log(`resident memory of the process tree while idle: mean ${idle.rssMeanMiB.toFixed(1)} MiB, peak ${idle.rssPeakMiB.toFixed(1)} MiB`);
  console.log(`CPU of the process tree while reconciling with nothing to change: ${idle.cpuPercent.toFixed(2)}% of one core, measured over ${measureSeconds} s`);
  console.log(`in-sync reconcile cycles since start: ${cycles}`);
  console.log(`CPU by thread of the daemon (% of one core): ${threads}`);
  if (profileDir) process.kill(pid, 'SIGUSR2');
  if (profileDir) await new Promise((r) => setTimeout(r, 5_000));
  await daemon.stop();
  const restart = await readyAfterRestart(daemon.dataDir);
  current = restart.daemon;
  console.log(`restart with ${stackCount} stacks in the database: listening after ${restart.listeningMs.toFixed(0)} ms, /readyz 200 after ${restart.readyMs.toFixed(0)} ms (from the spawn of bin/accelero)`);
} finally {
  await current.stop();
  for (const name of names) await cleanupStack(name);
  await daemon.cleanup();
  await repo.remove();
}
