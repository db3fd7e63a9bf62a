// How long a CLI call takes and how much memory it peaks at: `bin/accelero config` from the
// build (dist/server), the same from the TypeScript sources through tsx (what every call cost
// before the build step), and Debian's `docker-compose config` (v1, `apt-get install
// docker-compose`) on the same project, side by side.
// Usage: node --import tsx bench/cli-start.ts [runs=10] [projectDir=samples/hello]

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureServerBuilt } from '../test/support/daemon.ts';

const runs = Number(process.argv[2] ?? 10);
const root = resolve(import.meta.dirname, '..');
const projectDir = resolve(root, process.argv[3] ?? 'samples/hello');
const TIME = '/usr/bin/time';

interface Sample { seconds: number; maxRssMiB: number }

/** One run under GNU time: wall seconds and the peak resident set of the command. */
function timed(command: string[], env: Record<string, string | undefined>): Promise<Sample> {
  return new Promise((done, fail) => {
    execFile(TIME, ['-f', '%e %M', ...command], { cwd: root, env: { ...process.env, ...env }, maxBuffer: 1 << 24 }, (error, _stdout, stderr) => {
      if (error) return fail(new Error(`${command.join(' ')} failed: ${stderr}`));
      const [seconds, kib] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
      done({ seconds: seconds!, maxRssMiB: kib! / 1024 });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(name: string, command: string[], env: Record<string, string | undefined> = {}): Promise<{ name: string; seconds: number; rss: number }> {
  await timed(command, env); // warms the page cache, as a second call by a user would find it
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timed(command, env));
  return { name, seconds: median(samples.map((s) => s.seconds)), rss: median(samples.map((s) => s.maxRssMiB)) };
}

await ensureServerBuilt();
const bin = join(root, 'bin/accelero');
const composeFile = ['docker-compose.yaml', 'compose.yaml', 'docker-compose.yml'].map((f) => join(projectDir, f)).find(existsSync)!;
const results = [
  await measure('bin/accelero config (build)', [bin, 'config', '--project-dir', projectDir], { ACCELERO_FROM_SOURCE: undefined }),
  await measure('bin/accelero config (tsx sources)', [bin, 'config', '--project-dir', projectDir], { ACCELERO_FROM_SOURCE: '1' }),
];
const haveCompose = await new Promise<boolean>((done) => execFile('docker-compose', ['version'], (error) => done(!error)));
if (haveCompose) results.push(await measure('docker-compose config (v1)', ['docker-compose', '--project-directory', projectDir, '-f', composeFile, 'config']));
else console.log('docker-compose is not installed (apt-get install -y docker-compose): measured Accelero only');

const reference = results.find((r) => r.name.startsWith('docker-compose')) ?? results[0]!;
console.log(`project ${projectDir}, median of ${runs} runs after one warm-up`);
for (const r of results) {
  console.log(`${r.name.padEnd(36)} ${r.seconds.toFixed(2)} s  ${r.rss.toFixed(0).padStart(4)} MiB peak RSS  (${(r.seconds / reference.seconds).toFixed(2)}× the time, ${(r.rss / reference.rss).toFixed(2)}× the memory of ${reference.name})`);
}
