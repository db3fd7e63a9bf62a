// Files the compose file refers to (env_file, the compose file itself) must stay inside the
// repository export: a compose file from git must not read `/etc/shadow` into a container env.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { invalidValue, type ErrorPlace } from './errors.ts';

export interface RootedPlace extends ErrorPlace {
  projectDir: string;
  rootDir: string;
  /** Files already read during this load (200 services often share one env_file). */
  fileCache?: Map<string, string | undefined>;
}

/** True when `path` is `root` or below it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Reads `path` (relative to projectDir) when it exists; undefined when it does not. Symlinks are
 * resolved before the check, so a link inside the repository cannot point outside it.
 */
export function readInsideRoot(path: string, place: RootedPlace): string | undefined {
  const absolute = resolve(place.projectDir, path);
  if (!isInside(resolve(place.rootDir), absolute)) throw invalidValue(`${path} is outside the repository`, place);
  if (place.fileCache?.has(absolute)) return place.fileCache.get(absolute);
  const content = readChecked(path, absolute, place);
  place.fileCache?.set(absolute, content);
  return content;
}

/** A compose file, `.env` or env file larger than this is refused: no real one comes close. */
export const MAX_READ_BYTES = 1024 * 1024;

function readChecked(path: string, absolute: string, place: RootedPlace): string | undefined {
  const root = realOrSelf(place.rootDir);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    return undefined;
  }
  if (!isInside(root, real)) throw invalidValue(`${path} resolves outside the repository`, place);
  const size = statSync(real).size;
  if (size > MAX_READ_BYTES) throw invalidValue(`${path} is ${size} bytes; files a compose project reads are capped at ${MAX_READ_BYTES} bytes`, place);
  return readFileSync(real, 'utf8');
}

/**
 * A host path of a bind mount or a file secret. Absolute paths and `~` are the operator's choice
 * and taken as written; a relative path resolves against projectDir and must stay inside the
 * repository export (docs/architecture.md, Git): `../x` would reach the exports of other commits.
 * A path that exists is checked after resolving symlinks too.
 */
export function resolveHostPath(source: string, place: RootedPlace): string {
  if (source === '~' || source.startsWith('~/')) return resolve(homedir(), source.slice(2));
  if (isAbsolute(source)) return source;
  const absolute = resolve(place.projectDir, source);
  if (!isInside(resolve(place.rootDir), absolute)) throw invalidValue(`${source} is outside the repository`, place);
  let real: string | undefined;
  try {
    real = realpathSync(absolute);
  } catch {
    real = undefined;
  }
  if (real !== undefined && !isInside(realOrSelf(place.rootDir), real)) throw invalidValue(`${source} resolves outside the repository`, place);
  return absolute;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
