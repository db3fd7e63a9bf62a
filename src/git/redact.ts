// URL handling that keeps credentials out of everything git stores or prints.

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

export type UrlKind = 'local' | 'http' | 'ssh';

/** Which transport a repository URL uses; scp-like `user@host:path` counts as ssh. */
export function urlKind(url: string): UrlKind {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return 'http';
  if (scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'ssh+git') return 'ssh';
  if (scheme === 'file' || url.startsWith('/') || url.startsWith('.')) return 'local';
  if (scheme === undefined && /^[^/]+:/.test(url)) return 'ssh';
  return 'local';
}

/** The URL with credentials removed: user and password for http(s), the password for ssh, and any query. */
export function redactUrl(url: string): string {
  const kind = urlKind(url);
  if (kind === 'local' || !SCHEME.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (kind === 'http') parsed.username = '';
    parsed.password = '';
    if (parsed.search) parsed.search = '?redacted';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    // Not parseable as a WHATWG URL: drop anything that looks like userinfo.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
  }
}

export interface SplitUrl {
  /** The URL git is given: no user, no password. */
  url: string;
  username?: string;
  password?: string;
}

/** Moves `user:token@` out of an http(s) URL so the token travels only through the credential helper. */
export function splitUrlCredentials(url: string): SplitUrl {
  if (urlKind(url) !== 'http') return { url };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url: redactUrl(url) };
  }
  const username = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), username, password };
}

/** Replaces every occurrence of each secret (and its URL-encoded form) with `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue; // too short to scrub without mangling ordinary words
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}
