import { spawn, type ChildProcess } from 'node:child_process';
import { BASE_GIT_CONFIG, baseGitEnv, type GitCommandContext } from './run-git.ts';

// Git commands that talk to a server (ls-remote, fetch) run here, under a watchdog that
// stops them once they make no progress for `timeoutMs` (GIT_TIMEOUT).
//
// Progress is measured as output: fetch runs with --progress, and index-pack then reports
// the bytes received about once a second however slow the transfer (remote "Counting/
// Compressing objects" lines cover the time the server spends before sending). So a slow but
// moving transfer keeps the watchdog quiet and a silent one is stopped, over any transport.
// The alternatives each cover one part: curl's http.lowSpeedLimit/lowSpeedTime only the HTTP
// body (not connect, TLS or the wait between requests, and not ssh); ssh's ServerAliveInterval
// only a peer that stopped answering, not an sshd whose upload-pack hangs. The ssh
// ConnectTimeout (credentials.ts) stays, so an unreachable host still fails quickly.
//
// The command runs in its own process group and the whole group is stopped: git leaves the
// network to children (git-remote-http, ssh), and stopping only git (what simple-git's
// timeout does) leaves them orphaned, holding the dead connection open for ever. simple-git
// cannot start a process group, hence node's spawn here.

/** A command that talks to a server printed nothing for `idleMs` and was stopped. */
export class GitNoProgressError extends Error {
  constructor(
    /** The git subcommand: `fetch`, `ls-remote`. */
    readonly command: string,
    readonly idleMs: number,
    /** The last progress line git printed before it went quiet, if any. */
    readonly lastProgress: string | undefined,
  ) {
    super(`git ${command} made no progress for ${idleMs} ms`);
    this.name = 'GitNoProgressError';
  }
}

const DEFAULT_REMOTE_TIMEOUT_MS = 120_000;
/** After SIGTERM, SIGKILL for the part of the group that did not go. */
const KILL_GRACE_MS = 5_000;
const STDERR_KEPT = 64 * 1024;
const PROGRESS_LINE = /^(remote: )?[A-Z][a-z]+( [a-z]+)*: +\d/;

export function runRemoteGit(args: readonly string[], ctx: GitCommandContext): Promise<string> {
  const command = args[0] ?? 'git';
  const idleMs = ctx.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS;
  const child = spawnInOwnGroup(args, ctx);
  return new Promise<string>((resolve, reject) => {
    const output = new Output(child, () => watchdog.progressed());
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    // Normally on 'close' (all output read); once stopped, on 'exit': a child that left the
    // group could hold the pipes open, and the output no longer matters then.
    const finish = () => {
      if (settled || !exit) return;
      settled = true;
      watchdog.stop();
      if (exit.code === 0) resolve(output.stdout());
      else if (watchdog.fired) reject(new GitNoProgressError(command, idleMs, lastProgressLine(output.stderr)));
      else reject(new Error(withoutProgress(output.stderr) || `git ${command} exited with ${exit.code ?? exit.signal}`));
    };
    const watchdog = new Watchdog(child, idleMs, finish);
    child.on('error', (error) => {
      settled = true;
      watchdog.stop();
      reject(error);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      if (watchdog.fired) finish();
    });
    child.on('close', () => {
      watchdog.closed();
      finish();
    });
  });
}

function spawnInOwnGroup(args: readonly string[], ctx: GitCommandContext): ChildProcess {
  const settings = [...BASE_GIT_CONFIG, ...(ctx.config ?? [])].flatMap((setting) => ['-c', setting]);
  const child = spawn('git', [...settings, ...args], {
    cwd: ctx.cwd,
    env: { ...baseGitEnv(), ...(ctx.env ?? {}) },
    detached: true, // a new process group, so that the watchdog can stop all of it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stopWhenThisProcessExits(child);
  return child;
}

/**
 * A group of its own gets no signal meant for ours (Ctrl-C, a container stop), and once this
 * process is gone no watchdog stops it: a hung fetch would run on for ever, and hold the
 * mirror's lock files that the next start removes as stale.
 */
const runningGroups = new Set<ChildProcess>();

function stopWhenThisProcessExits(child: ChildProcess): void {
  if (runningGroups.size === 0) process.once('exit', stopRunningGroups);
  runningGroups.add(child);
  const forget = () => {
    if (runningGroups.delete(child) && runningGroups.size === 0) process.off('exit', stopRunningGroups);
  };
  child.once('exit', forget);
  child.once('error', forget);
}

function stopRunningGroups(): void {
  for (const child of runningGroups) signalGroup(child, 'SIGTERM');
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

/** All of stdout; the end of stderr (its error lines follow a progress meter that can be long). */
class Output {
  private readonly out: Buffer[] = [];
  stderr = '';

  constructor(child: ChildProcess, onData: () => void) {
    child.stdout!.on('data', (chunk: Buffer) => {
      this.out.push(chunk);
      onData();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
      onData();
    });
  }

  stdout(): string {
    return Buffer.concat(this.out).toString('utf8');
  }
}

/**
 * Stops the process group once `idleMs` pass without output, and SIGKILLs what SIGTERM left
 * running. `onFired` lets a command whose git already exited (a helper kept its pipes) settle.
 */
class Watchdog {
  fired = false;
  private idle?: NodeJS.Timeout;
  private escalation?: NodeJS.Timeout;

  constructor(
    private readonly child: ChildProcess,
    private readonly idleMs: number,
    private readonly onFired: () => void,
  ) {
    this.progressed();
  }

  progressed(): void {
    if (this.fired) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.fire(), this.idleMs);
  }

  /** The command settled: no more stopping for want of output. */
  stop(): void {
    clearTimeout(this.idle);
  }

  /** Every process holding the pipes is gone: nothing left to SIGKILL. */
  closed(): void {
    clearTimeout(this.escalation);
  }

  private fire(): void {
    this.fired = true;
    signalGroup(this.child, 'SIGTERM'); // git removes its lock files on SIGTERM
    this.escalation = setTimeout(() => signalGroup(this.child, 'SIGKILL'), KILL_GRACE_MS);
    this.escalation.unref();
    this.onFired();
  }
}

/** The progress meter repaints one line with `\r`; what a terminal would show of each line. */
function screenLines(stderr: string): string[] {
  return stderr.split('\n').map((line) => line.split('\r').filter((part) => part.trim() !== '').at(-1)?.trim() ?? '');
}

/** Git's messages without the progress meter, for error classification and the user. */
function withoutProgress(stderr: string): string {
  return screenLines(stderr)
    .filter((line) => line !== '' && !PROGRESS_LINE.test(line))
    .join('\n');
}

function lastProgressLine(stderr: string): string | undefined {
  return screenLines(stderr)
    .filter((line) => PROGRESS_LINE.test(line))
    .at(-1)
    ?.replace(/\s+/g, ' ');
}
