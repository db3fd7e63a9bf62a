// Benchmark: time and Docker API calls of a no-op reconcile (readActualState + drift + plan)
// of a converged 10-service stack on the local engine. Run: node --import tsx bench/reconcile-noop.ts [iterations]

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Dockerode from 'dockerode';
import { applyPlan, computeDrift, createDockerGateway, planRollout } from '../src/docker/index.ts';
import { buildProject } from '../test/docker/fixtures.ts';
import { cleanupStack, uniqueStackName } from '../test/support/docker.ts';

const iterations = Number(process.argv[2] ?? 50);
const docker = new Dockerode({ socketPath: process.env.DOCKER_SOCK ?? '/var/run/docker.sock' });

// Every engine call of dockerode goes through modem.dial: counting there counts HTTP requests.
const calls: string[] = [];
const modem = docker.modem as unknown as { dial: (options: { method: string; path: string }, cb: unknown) => unknown };
const dial = modem.dial.bind(modem);
modem.dial = (options, cb) => { calls.push(`${options.method} ${options.path.split('?')[0]}`); return dial(options, cb); };

const stack = uniqueStackName('bench');
const project = buildProject(stack, Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`svc${i}`, { env: { N: String(i) } }])));
const gateway = createDockerGateway(docker);

async function noopReconcile() {
  const actual = await gateway.readActualState(stack, project);
  const drift = computeDrift(project, actual);
  return planRollout(project, actual, drift);
}

try {
  const deployed = await applyPlan(gateway, await noopReconcile(), project, {
    stackName: stack, deploymentId: randomUUID(), commit: 'bench', snapshots: { save: async () => undefined },
  });
  if (deployed.status !== 'completed') throw new Error(`setup deploy ${deployed.status}: ${deployed.error}`);
  await noopReconcile(); // warm-up (connection, JIT)
  const times: number[] = [];
  calls.length = 0;
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    const plan = await noopReconcile();
    times.push(performance.now() - start);
    if (plan.hasChanges) throw new Error('the converged stack should plan no change');
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(2);
  const perRun = calls.length / iterations;
  const kinds = [...new Set(calls)].map((k) => `${k} ×${calls.filter((c) => c === k).length / iterations}`);
  console.log(`no-op reconcile of a 10-service stack, ${iterations} runs (Docker ${(await docker.version()).Version})`);
  console.log(`  time ms: median ${pct(50)}, p95 ${pct(95)}, min ${times[0]!.toFixed(2)}, max ${times[times.length - 1]!.toFixed(2)}`);
  console.log(`  Docker API calls per reconcile: ${perRun} (${kinds.join(', ')})`);
} finally {
  await cleanupStack(stack);
}
