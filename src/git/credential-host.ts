import { urlKind } from './redact.ts';

// Where a repository's credentials may go: the scheme and host (with its port) of its URL, as
// git names them in the credential protocol (`protocol=https`, `host=git.example:8443`).
// Credentials belong to one such origin: a token is never handed to another host, nor to the
// same host over plain http when it was given for https.

export interface CredentialHost {
  protocol: string;
  /** Lower-case host, with `:port` when the URL has one. */
  host: string;
}

const WITH_SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#]*)/i;
const SCP_LIKE = /^(?:[^@/:]+@)?(\[[^\]]+\]|[^/:]+):/;

/** undefined for a local path or file:// URL, which has no host to send credentials to. */
export function credentialHost(url: string): CredentialHost | undefined {
  const kind = urlKind(url.trim());
  if (kind === 'local') return undefined;
  const withScheme = WITH_SCHEME.exec(url.trim());
  if (withScheme) {
    const scheme = withScheme[1]!.toLowerCase();
    return { protocol: kind === 'ssh' ? 'ssh' : scheme, host: withScheme[2]!.toLowerCase() };
  }
  const scp = SCP_LIKE.exec(url.trim());
  return scp ? { protocol: 'ssh', host: scp[1]!.toLowerCase() } : undefined;
}

/** Whether credentials given for `before` may still be used for `after`. */
export function sameCredentialHost(before: string, after: string): boolean {
  const a = credentialHost(before);
  const b = credentialHost(after);
  return a !== undefined && b !== undefined && a.protocol === b.protocol && a.host === b.host;
}

/** A local path or file:// URL: git reads it from this host's disk. */
export function isLocalRepository(url: string): boolean {
  return /^file:\/\//i.test(url.trim()) || (urlKind(url.trim()) === 'local' && !WITH_SCHEME.test(url.trim()));
}
