// Cost of one reconcile cycle in the git layer, over smart HTTP on loopback:
// no change (ls-remote only) and one new commit (ls-remote, one fetch, exports),
// for 1 and 50 stacks on one repository.
//   node --import tsx bench/git-cycle.ts [rounds]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitSource, type AcceleroGitSource } from '../src/git/index.ts';
import { startGitHttpServer, type GitHttpServer } from '../test/support/git-http-server.ts';
import { createGitRepo, type TestGitRepo } from '../test/support/git-repo.ts';

const ROUNDS = Number(process.argv[2] ?? 7);
const FILES = 200;

interface Measure {
  ms: number;
  lsRemotes: number;
  fetches: number;
}

function repoFiles(): Record<string, string> {
  const files: Record<string, string> = { 'docker-compose.yaml': 'services:\n  app:\n    image: busybox\n' };
  for (let i = 0; i < FILES; i += 1) files[`config/part-${i}.conf`] = `value ${i}\n`.repeat(50);
  return files;
}

async function cycle(git: AcceleroGitSource, server: GitHttpServer, url: string, stacks: number): Promise<Measure> {
  server.resetCounts();
  const refreshAfter = Date.now(); // a new cycle: no ls-remote answer from the previous one
  const started = performance.now();
  await Promise.all(
    Array.from({ length: stacks }, (_, i) => git.resolve({ stack: `s${i}`, url, composePath: 'docker-compose.yaml' }, { refreshAfter })),
  );
  const ms = performance.now() - started;
  // In protocol v2 a fetch lists refs itself: ls-remotes = ref listings not part of a fetch.
  return { ms, lsRemotes: server.counts.lsRefs - server.counts.fetches, fetches: server.counts.fetches };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function scenario(repo: TestGitRepo, server: GitHttpServer, url: string, stacks: number) {
  const dataDir = await mkdtemp(join(tmpdir(), 'accelero-bench-'));
  try {
    const git = createGitSource({ dataDir, keepCommits: 3 });
    await cycle(git, server, url, stacks); // first export, not measured
    const idle: Measure[] = [];
    const changed: Measure[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      idle.push(await cycle(git, server, url, stacks));
      await repo.commit({ [`config/part-${round % FILES}.conf`]: `changed ${round} ${Date.now()}\n` });
      changed.push(await cycle(git, server, url, stacks));
    }
    return { idle, changed };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function row(label: string, stacks: number, samples: Measure[]): string {
  const ms = samples.map((s) => s.ms);
  const last = samples.at(-1)!;
  return [
    label.padEnd(10),
    String(stacks).padStart(6),
    median(ms).toFixed(1).padStart(10),
    Math.max(...ms).toFixed(1).padStart(9),
    (median(ms) / stacks).toFixed(2).padStart(12),
    String(last.lsRemotes).padStart(10),
    String(last.fetches).padStart(8),
  ].join(' ');
}

async function main(): Promise<void> {
  const repo = await createGitRepo(repoFiles());
  for (let i = 0; i < 20; i += 1) await repo.commit({ [`config/part-${i}.conf`]: `history ${i}\n` });
  const server = await startGitHttpServer();
  const url = server.addRepo('bench', repo.dir);
  try {
    console.log(`git cycle over smart HTTP on loopback, ${FILES + 1} files, median of ${ROUNDS} rounds`);
    console.log('cycle      stacks  median ms   max ms  ms per stack  ls-remote  fetches');
    for (const stacks of [1, 50]) {
      const { idle, changed } = await scenario(repo, server, url, stacks);
      console.log(row('no change', stacks, idle));
      console.log(row('change', stacks, changed));
    }
  } finally {
    await server.stop();
    await repo.remove();
  }
}

await main();
