import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { PathEscapeError } from './errors.ts';

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves `relPath` against `root` and throws PathEscapeError when it leaves `root`, either
 * lexically (`..`, an absolute path) or through a symlink inside the tree (checked when the path
 * exists, because a repository can commit `conf -> /etc`). `what` names the field in the message.
 */
export function resolveInside(root: string, relPath: string, what: string): string {
  const base = resolve(root);
  if (relPath.includes('\0')) throw new PathEscapeError(`${what} "${relPath}" contains a NUL byte`);
  const target = resolve(base, relPath);
  if (!isInside(base, target)) {
    throw new PathEscapeError(`${what} "${relPath}" escapes ${base}`);
  }
  if (existsSync(target) && existsSync(base)) {
    const real = realpathSync(target);
    if (!isInside(realpathSync(base), real)) {
      throw new PathEscapeError(`${what} "${relPath}" leads outside ${base} through a symlink (to ${real})`);
    }
  }
  return target;
}
