// Benchmark: time and Docker API calls of a no-op reconcile (readActualState + drift + plan)
// of a converged 10-service stack on the local engine. Run: node --import tsx bench/reconcile-noop.ts [iterations]
// When Debian's `docker-compose` (v1) is installed, a no-op `docker-compose up -d` of the same
// 10 services is measured beside it, its API calls counted through a counting socket proxy.

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import Dockerode from 'dockerode';
import { createDockerEngine } from '../src/docker/index.ts';
import { buildProject } from '../test/docker/fixtures.ts';
import { cleanupStack, uniqueStackName } from '../test/support/docker.ts';

const iterations = Number(process.argv[2] ?? 50);
const run = promisify(execFile);
const socketPath = process.env.DOCKER_SOCK ?? '/var/run/docker.sock';
const docker = new Dockerode({ socketPath });

// Every engine call of dockerode goes through modem.dial: counting there counts HTTP requests.
const calls: string[] = [];
const modem = docker.modem as unknown as { dial: (options: { method: string; path: string }, cb: unknown) => unknown };
const dial = modem.dial.bind(modem);
modem.dial = (options, cb) => { calls.push(`${options.method} ${options.path.split('?')[0]}`); return dial(options, cb); };

const stack = uniqueStackName('bench');
const project = buildProject(stack, Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`svc${i}`, { env: { N: String(i) } }])));
const engine = createDockerEngine(docker);

async function noopReconcile() {
  return (await engine.diff(project, stack, { pull: false })).plan;
}

try {
  const deployed = await engine.apply(await noopReconcile(), project, {
    stackName: stack, deploymentId: randomUUID(), commit: 'bench', snapshots: { save: async () => undefined },
  });
  if (deployed.status !== 'applied') throw new Error(`setup deploy ${deployed.status}: ${deployed.error}`);
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
  await benchDockerCompose(Math.min(iterations, 5));
} finally {
  await cleanupStack(stack);
}

/** A unix socket in front of the engine that counts HTTP request lines (keep-alive safe). */
async function countingProxy(path: string): Promise<{ count: () => number; close: () => void }> {
  let requests = 0;
  const server = createServer((client) => {
    const engine = connect(socketPath);
    client.on('data', (chunk) => { requests += (chunk.toString('latin1').match(/^(GET|POST|PUT|DELETE|HEAD) \S+ HTTP\/1\.[01]\r$/gm) ?? []).length; });
    client.pipe(engine).pipe(client);
    engine.on('error', () => client.destroy());
    client.on('error', () => engine.destroy());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { count: () => requests, close: () => server.close() };
}

async function benchDockerCompose(runs: number): Promise<void> {
  const found = await run('docker-compose', ['version', '--short']).catch(() => undefined);
  if (!found) return console.log('docker-compose not installed: side-by-side skipped');
  const dir = await mkdtemp(join(tmpdir(), 'accelero-bench-'));
  const name = `${stack}-compose`.replace(/[^a-z0-9]/g, '');
  const services = Array.from({ length: 10 }, (_, i) => `  svc${i}:\n    image: accelero-test/web:v1\n    environment:\n      N: "${i}"\n    stop_grace_period: 1s\n`);
  await writeFile(join(dir, 'docker-compose.yml'), `version: "3.8"\nservices:\n${services.join('')}`);
  const proxy = await countingProxy(join(dir, 'docker.sock'));
  const compose = (...args: string[]) => run('docker-compose', ['-p', name, ...args], { cwd: dir, env: { ...process.env, DOCKER_HOST: `unix://${join(dir, 'docker.sock')}` } });
  try {
    await compose('up', '-d');
    const before = proxy.count();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await compose('up', '-d');
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(`docker-compose ${found.stdout.trim()} no-op \`up -d\` of the same 10 services, ${runs} runs`);
    console.log(`  time ms: median ${times[Math.floor(runs / 2)]!.toFixed(0)}, min ${times[0]!.toFixed(0)}, max ${times[runs - 1]!.toFixed(0)}`);
    console.log(`  Docker API calls per run: ${(proxy.count() - before) / runs}`);
  } finally {
    await compose('down', '-v', '-t', '1').catch(() => undefined);
    proxy.close();
    await rm(dir, { recursive: true, force: true });
  }
}
