// How long loading a large compose file holds the daemon's event loop: the same 200-service
// project loaded in this thread and in the worker thread the daemon uses, with the event
// loop's delay sampled meanwhile.
// Run: node --import tsx bench/compose-event-loop.ts [services] [runs]
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadComposeProject } from '../src/compose/index.ts';
import { createWorkerComposeLoader } from '../src/compose/load-in-worker.ts';
import type { LoadComposeOptions } from '../src/compose/types.ts';
import { writeBenchProject } from './generated-compose.ts';

const serviceCount = Number(process.argv[2] ?? 200);
const runs = Number(process.argv[3] ?? 20);
const projectDir = writeBenchProject(serviceCount);
const options: LoadComposeOptions = { projectDir, environment: { LOG_LEVEL: 'debug' } };

/** The longest stretch a 1 ms ticker waited while the loads ran: what the API would have waited. */
async function measure(name: string, load: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 3; i++) await load(); // warm up (JIT, the worker's start)
  const gaps: number[] = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 1);
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    await load();
    await new Promise((resolve) => setImmediate(resolve)); // let the ticker run between loads
  }
  const elapsed = performance.now() - start;
  clearInterval(ticker);
  gaps.sort((a, b) => a - b);
  const p99 = gaps[Math.floor(gaps.length * 0.99)] ?? 0;
  console.log(`${name}: services=${serviceCount} runs=${runs} per-load=${(elapsed / runs).toFixed(1)}ms longest-event-loop-stall=${(gaps.at(-1) ?? 0).toFixed(1)}ms p99=${p99.toFixed(1)}ms`);
}

const worker = createWorkerComposeLoader();
await measure('in this thread', () => loadComposeProject(options));
await measure('in the worker ', () => worker.load(options));
await worker.close();
rmSync(projectDir, { recursive: true, force: true });
