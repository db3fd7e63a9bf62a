// Shared helpers for compose tests: temporary projects written from inline files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadComposeProjectSync } from '../../src/compose/load.ts';
import type { ComposeProject, LoadComposeOptions } from '../../src/compose/types.ts';

export const FIXTURES = new URL('../fixtures/compose/', import.meta.url).pathname;

const temporaryDirs: string[] = [];
process.on('exit', () => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits. */
export function temporaryDir(prefix = 'accelero-compose-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

/** Writes `files` (path → content) into a fresh temporary directory and returns it. */
export function writeProject(files: Record<string, string>): string {
  const dir = temporaryDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Loads an inline compose file (plus other files) with an empty process environment by default. */
export function loadInline(
  compose: string,
  extra: Record<string, string> = {},
  options: Partial<LoadComposeOptions> = {},
): ComposeProject {
  const projectDir = writeProject({ 'compose.yaml': compose, ...extra });
  return loadComposeProjectSync({ projectDir, environment: {}, projectName: 'test', ...options });
}

/** A deterministic pseudo-random integer source (an LCG), so fuzz-style tests repeat exactly. */
export function seededRandom(seed: number): (limit: number) => number {
  let state = seed;
  return (limit) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % limit;
  };
}
