// The git layer: bare mirrors, cheap change detection, per-commit exports.
import { MirroredGitSource } from './git-source.ts';
import type { AcceleroGitSource, GitSourceOptions } from './source-api.ts';

export function createGitSource(options: GitSourceOptions): AcceleroGitSource {
  return new MirroredGitSource(options);
}

export type { AcceleroGitSource, GitLogger, GitSourceOptions, GitSourceStats, ResolveOptions } from './source-api.ts';
export type { GitCredentials, GitSource, SourceRevision, SourceSpec } from './types.ts';
export * from './errors.ts';
export { redactUrl } from './redact.ts';
export { resolveInside } from './path-safety.ts';
export { credentialHost, isLocalRepository, sameCredentialHost, type CredentialHost } from './credential-host.ts';
