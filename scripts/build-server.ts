// Compiles the daemon and CLI (TypeScript under src/, actors/, machines/, persistence/) with
// esbuild into dist/server, which bin/accelero runs: a start then parses plain JavaScript
// instead of compiling TypeScript through tsx's loader on every call.
//
// * Two entry points: the CLI (accelero.js) and the compose worker (load-worker.js), which
//   piscina loads by file name; both land in dist/server, beside the shared chunks, because
//   load-in-worker.ts finds the worker next to its own (bundled) code.
// * Code splitting keeps `import()` lazy: `accelero config` loads the compose chunks only,
//   never koa, typeorm or dockerode (src/cli/index.ts imports each command when it runs).
// * Packages stay external (node_modules is resolved at run time, as from source).
// * keepNames: error types are told apart by constructor name (the compose worker), and
//   TypeORM names migrations after their classes.
// Run by scripts/build.sh (npm's prepare, so `npm ci` builds it) and by test/support/daemon.ts,
// so the daemons the tests start never run a stale build.
import { build } from 'esbuild';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The files a build writes, entry points last: a process starting meanwhile sees whole chunks. */
const ENTRY_POINTS = { accelero: 'src/cli/index.ts', 'load-worker': 'src/compose/load-worker.ts' };

export async function buildServer(root = resolve(import.meta.dirname, '..')): Promise<string> {
  const out = join(root, 'dist', 'server');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir: out,
    bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    packages: 'external', keepNames: true, sourcemap: 'linked', legalComments: 'none', logLevel: 'warning',
    chunkNames: 'chunk-[hash]',
    write: false,
  });
  await mkdir(out, { recursive: true });
  const entries = new Set(Object.keys(ENTRY_POINTS).flatMap((name) => [`${name}.js`, `${name}.js.map`]));
  const files = [...result.outputFiles].sort((a, b) => Number(entries.has(basename(a.path))) - Number(entries.has(basename(b.path))));
  // Each file is written beside itself and renamed over the old one: a daemon or CLI that
  // starts while the tests rebuild reads either the old file or the new one, never half of one.
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  await removeStaleChunks(out, new Set(files.map((f) => basename(f.path))));
  return out;
}

/** Chunks of an earlier build (their names carry their content's hash). */
async function removeStaleChunks(out: string, current: Set<string>): Promise<void> {
  for (const name of await readdir(out)) {
    if (name.startsWith('chunk-') && !current.has(name)) await rm(join(out, name), { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await buildServer();
  console.error(`build-server: built ${out}`);
}
