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
 * Variables that make git run another program (an editor, a pager) or read other config. npm
 * exports EDITOR to every script it runs, and simple-git refuses to start git while one of
 * them is set, so they are left out along with git's own variables.
 */
const REDIRECTING_VARIABLES = new Set(['EDITOR', 'VISUAL', 'PAGER', 'PREFIX', 'SSH_ASKPASS']);

/** The parent environment without git's own variables, so nothing outside redirects a command. */
export function baseGitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    const name = key.toUpperCase();
    if (value === undefined || name.startsWith('GIT_') || REDIRECTING_VARIABLES.has(name)) continue;
    env[key] = value;
  }
  return {
    ...env,
    LC_ALL: 'C',
    LANGUAGE: 'C',
    GIT_TERMINAL_PROMPT: '0',
    // A neutral askpass: answers every prompt with nothing, so a missing credential fails fast.
    GIT_ASKPASS: 'true',
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
    // GIT_SSH_COMMAND with a temp key, and the neutral askpass.
    unsafe: { allowUnsafeCredentialHelper: true, allowUnsafeSshCommand: true, allowUnsafeAskPass: true },
  });
  return git.env({ ...baseGitEnv(), ...(ctx.env ?? {}) }).raw([...args]);
}
