// The git layer: bare mirrors, cheap change detection, per-commit exports.
import { MirroredGitSource, type AcceleroGitSource, type GitSourceOptions } from './git-source.ts';

export function createGitSource(options: GitSourceOptions): AcceleroGitSource {
  return new MirroredGitSource(options);
}

export type { AcceleroGitSource, GitLogger, GitSourceOptions, GitSourceStats, ResolveOptions } from './git-source.ts';
export type { GitCredentials, GitSource, SourceRevision, SourceSpec } from './types.ts';
export * from './errors.ts';
export { redactUrl } from './redact.ts';
export { resolveInside } from './path-safety.ts';
