// Files the compose file refers to (env_file, the compose file itself) must stay inside the
// repository export: a compose file from git must not read `/etc/shadow` into a container env.
import { readFileSync, realpathSync } from 'node:fs';
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

function readChecked(path: string, absolute: string, place: RootedPlace): string | undefined {
  const root = realOrSelf(place.rootDir);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    return undefined;
  }
  if (!isInside(root, real)) throw invalidValue(`${path} resolves outside the repository`, place);
  return readFileSync(real, 'utf8');
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
