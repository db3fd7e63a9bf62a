import { ValidationError } from '../errors.ts';
import type { RemoteRefs } from './ls-remote.ts';
import type { SourceSpec } from './types.ts';

// What a stack follows: a branch (moves), a tag or a full commit sha (pinned).

export type RefTarget =
  | { kind: 'branch'; name: string; label: string }
  | { kind: 'tag'; name: string; label: string }
  | { kind: 'commit'; sha: string; label: string };

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

export function isFullSha(value: string): boolean {
  return FULL_SHA.test(value);
}

/** Rejects names git would refuse or read as an option (a ref beginning with `-`). */
function checkRefName(name: string, field: string): string {
  const bad =
    name.length === 0 ||
    name.startsWith('-') ||
    name.includes('..') ||
    name.includes('@{') ||
    /[\0-\x20\x7f~^:?*[\\]/.test(name) ||
    name.endsWith('.lock') ||
    name.endsWith('/') ||
    name.endsWith('.');
  if (bad) throw new ValidationError(`${field} "${name}" is not a valid git ref name`, field);
  return name;
}

export function refTarget(spec: SourceSpec): RefTarget {
  const ref = spec.ref?.trim();
  if (ref) {
    if (isFullSha(ref)) return { kind: 'commit', sha: ref.toLowerCase(), label: ref.toLowerCase() };
    const name = checkRefName(ref.replace(/^refs\/tags\//, ''), 'repo_ref');
    return { kind: 'tag', name, label: ref };
  }
  const branch = checkRefName((spec.branch?.trim() || 'main').replace(/^refs\/heads\//, ''), 'repo_branch');
  return { kind: 'branch', name: branch, label: branch };
}

/**
 * The commit the target points at on the remote, or undefined when the remote lacks it.
 * A commit pin resolves to itself (whether it exists is checked against the mirror).
 * `repo_ref` may also name a branch: tags win when both exist, as in `git checkout`.
 */
export function commitFor(target: RefTarget, refs: RemoteRefs): string | undefined {
  if (target.kind === 'commit') return target.sha;
  if (target.kind === 'branch') return refs.get(`refs/heads/${target.name}`);
  const tag = `refs/tags/${target.name}`;
  return refs.get(`${tag}^{}`) ?? refs.get(tag) ?? refs.get(`refs/heads/${target.name}`);
}
