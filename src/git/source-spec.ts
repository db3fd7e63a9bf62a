import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { ValidationError } from '../errors.ts';
import { redactUrl, splitUrlCredentials, urlKind } from './redact.ts';
import type { GitCredentials, SourceSpec } from './types.ts';

// Turns a stack's repository settings into what the git layer works with: a URL with no
// credentials in it, the credentials on their own, and a key for sharing per repository.

export interface NormalisedSource {
  /** Credential-free URL given to git. */
  url: string;
  /** For messages and logs. */
  displayUrl: string;
  credentials?: GitCredentials;
  /** Same repository and same credentials: may share one ls-remote answer. */
  accessKey: string;
}

const TRANSPORT_SYNTAX = /^[A-Za-z][A-Za-z0-9+.-]*::/; // `ext::sh -c ...` and friends run commands
const ALLOWED_SCHEMES = /^(?:https?|ssh|git\+ssh|ssh\+git|git|file):\/\//i;

function checkUrl(url: string): void {
  const bad =
    url.length === 0 ||
    url.startsWith('-') ||
    TRANSPORT_SYNTAX.test(url) ||
    /[\0\n\r]/.test(url) ||
    (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url) && !ALLOWED_SCHEMES.test(url));
  if (bad) throw new ValidationError(`repo_url "${redactUrl(url)}" is not a supported git URL`, 'repo_url');
}

export function checkStackName(stack: string): string {
  const bad = !stack || stack.startsWith('.') || /[/\\\0]/.test(stack) || stack.length > 200;
  if (bad) throw new ValidationError(`stack name "${stack}" cannot name a directory`, 'name');
  return stack;
}

function fingerprint(credentials: GitCredentials | undefined): string {
  return createHash('sha256').update(JSON.stringify(credentials ?? {})).digest('hex').slice(0, 24);
}

export function normaliseSource(spec: SourceSpec): NormalisedSource {
  const raw = spec.url.trim();
  checkUrl(raw);
  const split = splitUrlCredentials(raw);
  let url = split.url;
  // Relative local paths would otherwise be read relative to the mirror directory.
  if (urlKind(url) === 'local' && !url.startsWith('file://') && !isAbsolute(url)) url = resolve(url);
  const fromUrl: GitCredentials = {};
  if (split.password) {
    fromUrl.username = split.username;
    fromUrl.token = split.password;
  } else if (split.username) {
    fromUrl.token = split.username; // `https://<token>@host/…` is the common token-only form
  }
  const credentials = spec.credentials || split.username ? { ...fromUrl, ...definedOnly(spec.credentials) } : undefined;
  return { url, displayUrl: redactUrl(url), credentials, accessKey: `${url}\0${fingerprint(credentials)}` };
}

function definedOnly(credentials: GitCredentials | undefined): GitCredentials {
  const out: GitCredentials = {};
  for (const [key, value] of Object.entries(credentials ?? {})) {
    if (value !== undefined && value !== '') (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
