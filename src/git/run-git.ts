import { simpleGit } from 'simple-git';

// Every git process Accelero starts goes through here, so that all of them are
// non-interactive, ignore the host's credential helpers and speak English on stderr
// (error classification reads it).

export interface GitCommandContext {
  /** Working directory (a mirror, or any existing directory for ls-remote). */
  cwd: string;
  /** Extra `-c key=value` settings for this command only. */
  config?: readonly string[];
  /** Extra environment for this command only (credential values, GIT_SSH_COMMAND). */
  env?: Readonly<Record<string, string>>;
  /**
   * Stop git when it prints nothing for this long. For commands that talk to a server
   * (run-remote-git.ts) this is GIT_TIMEOUT; local ones default to LOCAL_TIMEOUT_MS.
   */
  timeoutMs?: number;
}

/**
 * Local commands (cat-file, diff, config, gc) wait on no server; this only catches a wedged
 * disk, and must not stop a quiet `gc --auto` of a large mirror, hence far above GIT_TIMEOUT.
 */
const LOCAL_TIMEOUT_MS = 600_000;

/**
 * What git, ssh and tar see of this process's environment: only what they need to find
 * programs, a home, a temp directory, CA certificates and a proxy. The daemon's own settings
 * (API_KEY, WEBHOOK_SECRET, ACCELERO_ENCRYPTION_KEY, …) never reach a child, and neither do
 * variables that make git run another program or read other config (EDITOR, GIT_*).
 */
const PASSED_VARIABLES = [
  'PATH', 'HOME', 'TMPDIR', 'TZ', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'http_proxy', 'https_proxy', 'no_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY',
];

/** The minimal environment of a child process (git, ssh through git, tar). */
export function minimalChildEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, LC_ALL: 'C', LANGUAGE: 'C' };
}

/** The environment of every git command: minimal, non-interactive, no system or user config. */
export function baseGitEnv(): Record<string, string> {
  return {
    ...minimalChildEnv(),
    GIT_TERMINAL_PROMPT: '0',
    // A neutral askpass: answers every prompt with nothing, so a missing credential fails fast.
    GIT_ASKPASS: 'true',
    // Host or user git config (a credential store, url rewrites) must not reach these commands.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

/** Settings that apply to every command: no credential helper but ours, no background gc. */
export const BASE_GIT_CONFIG: readonly string[] = ['credential.helper=', 'gc.autoDetach=false', 'core.askPass=true'];

export async function runGit(args: readonly string[], ctx: GitCommandContext): Promise<string> {
  const git = simpleGit({
    baseDir: ctx.cwd,
    config: [...BASE_GIT_CONFIG, ...(ctx.config ?? [])],
    timeout: { block: ctx.timeoutMs ?? LOCAL_TIMEOUT_MS },
    // These are set by Accelero itself (never from user input): our credential helper,
    // GIT_SSH_COMMAND with a temp key, the neutral askpass, and GIT_CONFIG_GLOBAL=/dev/null.
    unsafe: { allowUnsafeCredentialHelper: true, allowUnsafeSshCommand: true, allowUnsafeAskPass: true, allowUnsafeConfigPaths: true },
  });
  return git.env({ ...baseGitEnv(), ...(ctx.env ?? {}) }).raw([...args]);
}
