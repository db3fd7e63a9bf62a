// Verification of one container: healthy (healthcheck) or stable (no healthcheck: running
// without restarts for `monitor`), a job may instead exit 0. It follows the stack's event
// stream (StackEvents) and confirms the outcome with one inspect; while the stream is down it
// polls inspect. Budget for a healthcheck follows the engine's own timing: start_period +
// (interval + timeout) × (retries + 1), capped by the per-service timeout. Engine defaults
// when 0: interval 30 s, timeout 30 s, retries 3.

import type Dockerode from 'dockerode';
import type { ObservedContainer, StackEvents } from './stack-events.ts';

export interface VerifyOptions {
  hasHealthcheck: boolean;
  /** Config.Healthcheck of the container (durations in ns). */
  healthcheck?: { Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  monitorMs: number;
  /** One-shot service: exit 0 counts as success. */
  job: boolean;
  timeoutMs: number;
  /** How often inspect is polled while the event stream is down. */
  pollMs?: number;
}

export type Verdict = { ok: true; detail: string } | { ok: false; reason: string };

const NS_PER_MS = 1_000_000;
const UNHEALTHY = 'unhealthy';

export function healthBudgetMs(hc: VerifyOptions['healthcheck'] = {}): number {
  const interval = (hc.Interval || 30_000 * NS_PER_MS) / NS_PER_MS;
  const timeout = (hc.Timeout || 30_000 * NS_PER_MS) / NS_PER_MS;
  const retries = hc.Retries || 3;
  const start = (hc.StartPeriod || 0) / NS_PER_MS;
  return start + (interval + timeout) * (retries + 1) + 2_000;
}

export async function verifyContainer(docker: Dockerode, events: StackEvents, id: string, opts: VerifyOptions): Promise<Verdict> {
  const budget = opts.hasHealthcheck ? Math.min(healthBudgetMs(opts.healthcheck), opts.timeoutMs) : Math.min(opts.monitorMs, opts.timeoutMs);
  const early = await watch(docker, events, id, opts, Date.now() + budget);
  const state = (await docker.getContainer(id).inspect()).State; // the one inspect that confirms
  if (early && !early.ok) return early.reason === UNHEALTHY ? { ok: false, reason: `unhealthy: ${lastProbe(state)}` } : early;
  const now = decide(fromInspect(state, 0), opts);
  if (now && !now.ok) return now.reason === UNHEALTHY ? { ok: false, reason: `unhealthy: ${lastProbe(state)}` } : now;
  const decided = early ?? now;
  if (decided) return decided;
  if (!opts.hasHealthcheck) return { ok: true, detail: `running for ${opts.monitorMs} ms without restart` };
  return { ok: false, reason: `not healthy after ${Math.round(budget / 1000)} s (${state.Health?.Status ?? 'no health status'}): ${lastProbe(state)}` };
}

/** Follows the container until it decided or `until`; undefined when the time ran out undecided. */
async function watch(docker: Dockerode, events: StackEvents, id: string, opts: VerifyOptions, until: number): Promise<Verdict | undefined> {
  let restartBaseline: number | undefined;
  for (;;) {
    events.assertEngineAnswers();
    const version = events.versionOf();
    let reading: Reading;
    if (events.live) reading = fromEvents(events.observe(id));
    else {
      const state = await docker.getContainer(id).inspect();
      restartBaseline ??= state.RestartCount;
      reading = fromInspect(state.State, state.RestartCount - restartBaseline);
    }
    const verdict = decide(reading, opts);
    if (verdict) return verdict;
    const left = until - Date.now();
    if (left <= 0) return undefined;
    await events.changedSince(version, events.live ? left : Math.min(left, opts.pollMs ?? 1_000));
  }
}

/** What one step of a wait decides on, from the events or from an inspect. */
interface Reading { running: boolean; restarting: boolean; exited: boolean; exitCode?: number; error?: string; health?: string; restarts: number }

function fromEvents(seen: ObservedContainer | undefined): Reading {
  // No start seen yet: the event is on its way.
  if (!seen) return { running: false, restarting: false, exited: false, restarts: 0 };
  return { running: seen.running, restarting: false, exited: !seen.running && seen.dies > 0, exitCode: seen.exitCode, health: seen.health, restarts: seen.dies };
}

type EngineState = Dockerode.ContainerInspectInfo['State'];

function fromInspect(state: EngineState, restarts: number): Reading {
  return {
    running: state.Running, restarting: state.Restarting, exited: !state.Running && !state.Restarting && state.Status !== 'created',
    exitCode: state.ExitCode, error: state.Error, health: state.Health?.Status, restarts,
  };
}

/** A container that stopped has decided: a job's exit 0 passes, everything else fails. */
function decide(r: Reading, opts: VerifyOptions): Verdict | undefined {
  if (r.restarting) return { ok: false, reason: `restarting after exit code ${r.exitCode}` };
  if (r.exited) {
    if (opts.job && r.exitCode === 0) return { ok: true, detail: 'job exited 0' };
    return { ok: false, reason: `exited with code ${r.exitCode}${r.error ? ` (${r.error})` : ''}` };
  }
  if (r.restarts > 0) return { ok: false, reason: `restarted ${r.restarts} time(s) within the monitor window` };
  if (!opts.hasHealthcheck) return undefined;
  if (r.health === 'healthy') return { ok: true, detail: 'healthy' };
  if (r.health === 'unhealthy') return { ok: false, reason: UNHEALTHY };
  return undefined;
}

function lastProbe(state: EngineState): string {
  const log = (state.Health as { Log?: { ExitCode: number; Output: string }[] } | undefined)?.Log ?? [];
  const last = log[log.length - 1];
  return last ? `last probe exit ${last.ExitCode}: ${last.Output.trim().slice(0, 300)}` : 'no probe result yet';
}

/** The last lines of a container's output (stdout + stderr), demultiplexed. */
export async function tailLogs(docker: Dockerode, id: string, lines = 30): Promise<string> {
  try {
    const raw = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    return demultiplex(Buffer.from(raw)).trimEnd();
  } catch {
    return '';
  }
}

/** Docker frames non-TTY logs as [stream, 0, 0, 0, size(4 bytes BE)] + payload. */
export function demultiplex(buffer: Buffer): string {
  if (buffer.length < 8 || buffer[1] !== 0 || buffer[2] !== 0 || buffer[3] !== 0 || buffer[0]! > 2) return buffer.toString('utf8');
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
