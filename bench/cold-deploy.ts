// Benchmark: cold deploy of a 10-service stack in 3 dependency levels (no healthchecks,
// depends_on with the default condition, service_started), by Accelero and by Debian's
// `docker-compose` (v1) side by side, and a start-first rollout of one service of the ten.
// Run: node --import tsx bench/cold-deploy.ts [runs]   (default 3; medians are printed)
//
// "all running": the engine's start event of the tenth container (both tools, same watcher).
// "completed": Accelero's cycle as the stack machine runs it up to the moment it marks the
// deployment completed (diff, apply with its stability windows, verify); the removal of what
// was replaced comes after that and is printed apart. docker-compose has no verification:
// `up -d` returns once it started the containers.

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { loadComposeProject } from '../src/compose/index.ts';
import { createDockerEngine } from '../src/docker/index.ts';
import type { ServiceSnapshot } from '../src/docker/index.ts';
import { cleanupStack, docker, uniqueStackName } from '../test/support/docker.ts';

const runs = Number(process.argv[2] ?? 3);
const MONITOR_MS = 5_000; // update_config.monitor's default, which these services keep
const run = promisify(execFile);
const engine = createDockerEngine(docker);
const LEVELS = [['db', 'cache', 'queue'], ['api1', 'api2', 'api3', 'api4'], ['web1', 'web2', 'web3']];

function composeFile(changed = ''): string {
  const lines = ['services:'];
  LEVELS.forEach((level, depth) => level.forEach((name) => {
    // init: the image's httpd runs as PID 1 and ignores SIGTERM, so every stop would wait out
    // the grace period; behind an init it exits on SIGTERM, as a real service does.
    lines.push(`  ${name}:`, '    image: accelero-test/web:v1', '    init: true', '    stop_grace_period: 1s', '    environment:', `      SERVICE: ${name}`);
    if (name === changed) lines.push('      RELEASE: "2"');
    if (depth > 0) lines.push('    depends_on:', ...LEVELS[depth - 1]!.map((d) => `      - ${d}`));
  }));
  return `${lines.join('\n')}\n`;
}

/** Resolves with the moment the engine reported the n-th container start of the label. */
async function nthStart(label: string, n: number): Promise<{ at: Promise<number>; stop: () => void }> {
  const stream = (await docker.getEvents({ filters: { type: ['container'], event: ['start'], label: [label] } })) as NodeJS.ReadableStream & { destroy: () => void };
  let seen = 0;
  const at = new Promise<number>((resolve) => stream.on('data', (chunk: Buffer) => {
    seen += chunk.toString().split('\n').filter((l) => l.trim()).length;
    if (seen >= n) resolve(performance.now());
  }));
  return { at, stop: () => stream.destroy() };
}

/** Resolves when the deployment would be marked completed; `cleanedUp` when the replaced containers are gone. */
async function acceleroCycle(dir: string, stack: string): Promise<{ cleanedUp: Promise<void> }> {
  const project = await loadComposeProject({ projectDir: dir, projectName: stack });
  const { plan } = await engine.diff(project, stack, { pull: false });
  const deploymentId = randomUUID();
  let saved: ServiceSnapshot[] = [];
  const result = await engine.apply(plan, project, {
    stackName: stack, deploymentId, commit: 'bench', snapshots: { save: async (_id, s) => { saved = s; } },
  });
  if (result.status !== 'applied') throw new Error(`deploy ${result.status}: ${result.error}`);
  const verdict = await engine.verify(project, stack, result.changes.map((c) => c.service));
  if (!verdict.healthy) throw new Error(`verify: ${verdict.error}`);
  return { cleanedUp: engine.removeReplaced(stack, saved) };
}

interface AcceleroTimes { running: number; completed: number; rollout: number; rolloutCleanedUp: number }

async function timeAccelero(dir: string): Promise<AcceleroTimes> {
  const stack = uniqueStackName('cold');
  try {
    await writeFile(join(dir, 'docker-compose.yaml'), composeFile());
    const starts = await nthStart(`accelero.stack=${stack}`, 10);
    const t0 = performance.now();
    const cold = await acceleroCycle(dir, stack);
    const completed = performance.now() - t0;
    const running = (await starts.at) - t0;
    starts.stop();
    await cold.cleanedUp;
    await writeFile(join(dir, 'docker-compose.yaml'), composeFile('api2'));
    const t1 = performance.now();
    const update = await acceleroCycle(dir, stack);
    const rollout = performance.now() - t1;
    await update.cleanedUp;
    return { running, completed, rollout, rolloutCleanedUp: performance.now() - t1 };
  } finally {
    await cleanupStack(stack);
  }
}

async function timeDockerCompose(dir: string): Promise<number> {
  const name = uniqueStackName('compose').replace(/[^a-z0-9]/g, '');
  await writeFile(join(dir, 'docker-compose.yaml'), composeFile());
  const compose = (...args: string[]) => run('docker-compose', ['-p', name, '-f', join(dir, 'docker-compose.yaml'), ...args], { cwd: dir });
  try {
    const starts = await nthStart(`com.docker.compose.project=${name}`, 10);
    const t0 = performance.now();
    await compose('up', '-d');
    const running = (await starts.at) - t0;
    starts.stop();
    return running;
  } finally {
    await compose('down', '-v', '-t', '1').catch(() => undefined);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const dir = await mkdtemp(join(tmpdir(), 'accelero-cold-'));
try {
  const composeVersion = await run('docker-compose', ['version', '--short']).then((r) => r.stdout.trim(), () => undefined);
  const accelero: AcceleroTimes[] = [];
  const compose: number[] = [];
  for (let i = 0; i < runs; i++) {
    accelero.push(await timeAccelero(dir));
    if (composeVersion) compose.push(await timeDockerCompose(dir));
  }
  const running = median(accelero.map((a) => a.running));
  const completed = median(accelero.map((a) => a.completed));
  const rollout = median(accelero.map((a) => a.rollout));
  console.log(`cold deploy of 10 services in 3 levels, no healthchecks, monitor ${MONITOR_MS} ms; median of ${runs} (Docker ${(await docker.version()).Version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`  Accelero all 10 running   ${seconds(running)}   (runs: ${accelero.map((a) => seconds(a.running)).join(', ')})`);
  console.log(`  Accelero completed        ${seconds(completed)}   (runs: ${accelero.map((a) => seconds(a.completed)).join(', ')})`);
  console.log(`  Accelero one-service rollout completed ${seconds(rollout)}   (runs: ${accelero.map((a) => seconds(a.rollout)).join(', ')})   goal ≤ ${seconds(MONITOR_MS + 1_000)}: ${rollout <= MONITOR_MS + 1_000 ? 'met' : 'MISSED'}`);
  console.log(`  Accelero one-service rollout, old container removed too ${seconds(median(accelero.map((a) => a.rolloutCleanedUp)))}`);
  if (!composeVersion) {
    console.log('  docker-compose not installed (apt-get install -y docker-compose): side-by-side skipped');
  } else {
    const base = median(compose);
    console.log(`  docker-compose ${composeVersion} up -d, all 10 running ${seconds(base)}   (runs: ${compose.map(seconds).join(', ')})`);
    console.log(`  ratio running / docker-compose    ${(running / base).toFixed(2)}   goal ≤ 0.80: ${running <= 0.8 * base ? 'met' : 'MISSED'}`);
    console.log(`  completed − (0.8 × docker-compose + monitor)   ${seconds(completed - (0.8 * base + MONITOR_MS))}   goal ≤ 0: ${completed <= 0.8 * base + MONITOR_MS ? 'met' : 'MISSED'}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
