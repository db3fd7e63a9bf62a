// Loads a generated 200-service compose file repeatedly and prints timings.
// Run: node --import tsx bench/compose-load.ts [services] [runs]
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadComposeProject } from '../src/compose/index.ts';
import { writeBenchProject } from './generated-compose.ts';

const serviceCount = Number(process.argv[2] ?? 200);
const runs = Number(process.argv[3] ?? 50);

const projectDir = writeBenchProject(serviceCount);
const load = () => loadComposeProject({ projectDir, environment: { LOG_LEVEL: 'debug' } });
for (let i = 0; i < 5; i++) await load(); // warm up the JIT
const timings: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const project = await load();
  timings.push(performance.now() - start);
  if (Object.keys(project.services).length !== serviceCount) throw new Error('service count mismatch');
}
timings.sort((a, b) => a - b);
const at = (fraction: number): string => timings[Math.min(timings.length - 1, Math.floor(fraction * timings.length))].toFixed(1);
rmSync(projectDir, { recursive: true, force: true });
console.log(`services=${serviceCount} runs=${runs} median=${at(0.5)}ms p95=${at(0.95)}ms max=${at(1)}ms min=${at(0)}ms`);
