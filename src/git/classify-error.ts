import {
  GitAuthError, GitCommandError, GitError, GitHostKeyError, GitNetworkError, GitRefNotFoundError,
  GitRepositoryNotFoundError, GitTimeoutError,
} from './errors.ts';
import { scrubSecrets } from './redact.ts';
import { GitNoProgressError } from './run-remote-git.ts';

// Turns git's stderr into one of the typed errors. Order matters: the most specific
// patterns first, because git often prints a generic line after the precise one.

export interface ErrorContext {
  stack: string;
  /** Already redacted. */
  url: string;
  ref: string;
  secrets: readonly string[];
}

type Kind = 'hostKey' | 'auth' | 'notFound' | 'refNotFound' | 'network';

const PATTERNS: ReadonlyArray<[Kind, RegExp]> = [
  ['hostKey', /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \w+ host key is known/i],
  ['auth', /Authentication failed|could not read (Username|Password)|terminal prompts disabled|Permission denied \(|returned error: 40[13]|HTTP Basic: Access denied|invalid credentials|Invalid username or password/i],
  ['notFound', /Repository not found|repository '[^']*' not found|does not appear to be a git repository|returned error: 404|project you were looking for could not be found/i],
  ['refNotFound', /couldn't find remote ref|not our ref|unadvertised object|invalid object name|unknown revision|bad object|reference is not a tree/i],
  ['network', /Could not resolve host|Connection refused|Failed to connect|timed out|Network is unreachable|No route to host|early EOF|Connection reset|unexpected disconnect|returned error: 5\d\d|ssh: connect to host|Could not read from remote repository|block timeout|RPC failed|gnutls_handshake|SSL/i],
];

const LABEL: Record<Kind, string> = {
  hostKey: 'SSH host key verification failed',
  auth: 'authentication failed',
  notFound: 'repository not found',
  refNotFound: 'ref not found',
  network: 'repository unreachable',
};

function rawMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The line that told us the kind, then git's last line; without secrets, bounded in size. */
function detail(text: string, secrets: readonly string[], pattern: RegExp | undefined): string {
  const lines = scrubSecrets(text, secrets)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const telling = pattern ? lines.find((l) => pattern.test(l)) : undefined;
  const picked = [...new Set([telling, lines.at(-1)].filter((l): l is string => !!l))];
  return picked.join(' | ').slice(0, 500);
}

export function describe(ctx: ErrorContext, what: string): string {
  return `stack "${ctx.stack}": ${what} for ${ctx.url} (ref ${ctx.ref})`;
}

/** `2m`, `30s`, `1m30s`, `1.5s`, `500ms`: a timeout as GIT_TIMEOUT would be written. */
function durationText(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Number(((ms % 60_000) / 1000).toFixed(3));
  if (minutes === 0) return `${seconds}s`;
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}

function timeoutError(error: GitNoProgressError, ctx: ErrorContext): GitTimeoutError {
  const where = `stack "${ctx.stack}": git ${error.command} of ${ctx.url} (ref ${ctx.ref})`;
  const last = error.lastProgress ? `; last progress: ${scrubSecrets(error.lastProgress, ctx.secrets)}` : '';
  return new GitTimeoutError(`${where} made no progress for ${durationText(error.idleMs)} and was stopped (GIT_TIMEOUT)${last}`, error.idleMs);
}

export function classifyGitError(error: unknown, ctx: ErrorContext): GitError {
  if (error instanceof GitError) return error;
  if (error instanceof GitNoProgressError) return timeoutError(error, ctx);
  const text = rawMessage(error);
  const [kind, pattern] = PATTERNS.find(([, p]) => p.test(text)) ?? [undefined, undefined];
  const message = `${describe(ctx, kind ? LABEL[kind] : 'git failed')}: ${detail(text, ctx.secrets, pattern)}`;
  switch (kind) {
    case 'hostKey':
      return new GitHostKeyError(message);
    case 'auth':
      return new GitAuthError(message);
    case 'notFound':
      return new GitRepositoryNotFoundError(message);
    case 'refNotFound':
      return new GitRefNotFoundError(message);
    case 'network':
      return new GitNetworkError(message);
    default:
      return new GitCommandError(message);
  }
}

const MIRROR_DAMAGE =
  /not a git repository|not in a git directory|bad object refs\/|did not send all necessary objects|corrupt|loose object|packfile|index-pack failed|unable to read|bad config|cannot lock ref|unable to (write|create)|missing (blob|tree|commit)/i;

/** Git output that blames the local mirror (broken objects, refs or config), not the server. */
export function isMirrorDamage(error: unknown): boolean {
  if (error instanceof GitNoProgressError) return false; // the server went quiet, not the mirror
  return MIRROR_DAMAGE.test(rawMessage(error));
}
