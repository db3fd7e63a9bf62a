// bin/accelero runs the esbuild build (dist/server): `accelero config` from it prints what the
// TypeScript sources print, byte for byte, on stdout and stderr, with the same exit status.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureServerBuilt } from '../support/daemon.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/accelero');
const FIXTURES = join(ROOT, 'test/fixtures/compose');

interface Run { code: number | null; stdout: string; stderr: string }

function run(bin: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    const { ACCELERO_FROM_SOURCE: _ignored, ...inherited } = process.env;
    execFile(bin, args, { cwd: ROOT, env: { ...inherited, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

before(async () => {
  await ensureServerBuilt();
});

const CASES: Array<{ what: string; args: string[] }> = [
  { what: 'samples/hello as YAML', args: ['config', '--project-dir', 'samples/hello'] },
  { what: 'samples/hello as JSON', args: ['config', '--project-dir', 'samples/hello', '--format', 'json'] },
  { what: 'the service names', args: ['config', '--project-dir', 'samples/hello', '--services'] },
  { what: 'a fixture with heavy interpolation', args: ['config', '--project-dir', join(FIXTURES, 'interpolation-heavy')] },
  { what: 'a directory without a compose file (an error)', args: ['config', '--project-dir', 'test'] },
  { what: 'an unknown format (a usage error)', args: ['config', '--project-dir', 'samples/hello', '--format', 'toml'] },
];

for (const { what, args } of CASES) {
  test(`the compiled CLI prints what the sources print: ${what}`, async () => {
    const compiled = await run(BIN, args);
    const source = await run(BIN, args, { ACCELERO_FROM_SOURCE: '1' });
    assert.deepEqual(compiled, source);
  });
}

test('the compiled CLI prints the hello sample with its service and a zero exit status', async () => {
  const compiled = await run(BIN, ['config', '--project-dir', 'samples/hello']);
  assert.equal(compiled.code, 0, compiled.stderr);
  assert.match(compiled.stdout, /^name: hello$/m);
  assert.match(compiled.stdout, /^services:$/m);
});

test('without a build, bin/accelero says to run `npm run build` and exits 1', async () => {
  // A copy of bin/accelero in a root that has no dist/ (it finds the root from its own path).
  const root = await mkdtemp(join(tmpdir(), 'accelero-nobuild-'));
  try {
    await mkdir(join(root, 'bin'));
    await copyFile(BIN, join(root, 'bin/accelero'));
    const result = await run(join(root, 'bin/accelero'), ['config', '--project-dir', join(ROOT, 'samples/hello')]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /dist\/server\/accelero\.js is missing: run `npm run build`/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
