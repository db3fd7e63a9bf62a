import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractTar, type ArchiveCache } from './archive-cache.ts';

// Per-commit exports: `<dataDir>/<stack>/<commit>/` holds the files of one commit (no .git),
// as `git archive` writes them (export-ignore and export-subst attributes apply).
// A small state file remembers which commits were exported most recently, so rollbacks find
// the last few and older ones can be removed.

const STATE_FILE = '.accelero-exports.json';
const COMMIT_DIR = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

interface ExportState {
  /** Most recent first. */
  commits: string[];
}

export async function readExportState(stackDir: string): Promise<ExportState> {
  try {
    const parsed = JSON.parse(await readFile(join(stackDir, STATE_FILE), 'utf8')) as Partial<ExportState>;
    return { commits: Array.isArray(parsed.commits) ? parsed.commits.filter((c) => COMMIT_DIR.test(c)) : [] };
  } catch {
    return { commits: [] };
  }
}

async function writeExportState(stackDir: string, state: ExportState): Promise<void> {
  const tmp = join(stackDir, `${STATE_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(state));
  await rename(tmp, join(stackDir, STATE_FILE));
}

export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

/** Extracts the commit's tar into `dir`; writes the tar again once if it vanished meanwhile. */
async function archiveInto(archives: ArchiveCache, commit: string, dir: string): Promise<void> {
  try {
    await extractTar(await archives.tarFor(commit), dir);
  } catch {
    archives.forget(commit);
    await extractTar(await archives.tarFor(commit), dir);
  }
}

/**
 * Exports the commit into `<stackDir>/<commit>` unless it is already there. Writes into a
 * temp directory first and renames it, so a crash never leaves a half-exported commit.
 */
export async function exportCommit(archives: ArchiveCache, stackDir: string, commit: string): Promise<string> {
  const target = join(stackDir, commit);
  if (await isDirectory(target)) return target;
  await mkdir(stackDir, { recursive: true });
  const tmp = join(stackDir, `.tmp-${commit}-${process.pid}-${Date.now()}`);
  await mkdir(tmp);
  try {
    await archiveInto(archives, commit, tmp);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    if (await isDirectory(target)) return target; // another export of the same commit won
    throw error;
  }
  return target;
}

export interface RetentionPolicy {
  /** How many of the most recent exports to keep. */
  keep: number;
  /** Commits kept whatever their age: the deployed one, whose files containers bind-mount. */
  retain?: readonly string[];
}

/** Records `commit` as the most recent export and removes exports the policy does not keep. */
export async function recordExport(stackDir: string, commit: string, policy: RetentionPolicy): Promise<void> {
  const state = await readExportState(stackDir);
  const recent = [commit, ...state.commits.filter((c) => c !== commit)];
  const entries = await readdir(stackDir);
  const retained = (policy.retain ?? []).filter((c) => recent.includes(c) || entries.includes(c));
  const kept = [...new Set([...recent.slice(0, Math.max(1, policy.keep)), ...retained])];
  await writeExportState(stackDir, { commits: kept });
  for (const entry of entries) {
    const stale = (COMMIT_DIR.test(entry) && !kept.includes(entry)) || entry.startsWith('.tmp-');
    if (stale) await rm(join(stackDir, entry), { recursive: true, force: true });
  }
}
