import type { StackRecord } from '../../../persistence/entities/records.ts';
import { repositoryKey } from './repo-url.ts';

// Which stacks a push concerns: same repository (by key, see repo-url.ts) and a ref the stack
// follows: its branch, or its tag when the stack is pinned with repo_ref.

export interface PushEvent {
  /** Every URL the payload gives for the repository (clone, ssh, web). */
  repositoryUrls: string[];
  /** Full refs that moved to a new commit (`refs/heads/main`); deletions excluded. */
  refs: string[];
}

/** `main` → `refs/heads/main`; full refs stay as they are. */
export function fullRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
}

export function followedRef(stack: Pick<StackRecord, 'repo_branch' | 'repo_ref'>): string {
  return stack.repo_ref ? `refs/tags/${stack.repo_ref}` : `refs/heads/${stack.repo_branch}`;
}

/** The stacks whose repository is the push's, whatever ref they follow. */
export function stacksOfRepository<T extends Pick<StackRecord, 'repo_url'>>(push: Pick<PushEvent, 'repositoryUrls'>, stacks: readonly T[]): T[] {
  const keys = new Set(push.repositoryUrls.map(repositoryKey).filter((key): key is string => key !== undefined));
  return stacks.filter((stack) => {
    const key = repositoryKey(stack.repo_url);
    return key !== undefined && keys.has(key);
  });
}

export function matchStacks<T extends Pick<StackRecord, 'repo_url' | 'repo_branch' | 'repo_ref'>>(push: PushEvent, stacks: readonly T[]): T[] {
  const refs = new Set(push.refs.map(fullRef));
  return stacksOfRepository(push, stacks).filter((stack) => refs.has(followedRef(stack)));
}
