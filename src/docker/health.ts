// Verification of one container: healthy (healthcheck) or stable (no healthcheck: running
// without restarts for `monitor`), a job may instead exit 0. Budget for a healthcheck follows
// the engine's own timing: start_period + (interval + timeout) × (retries + 1), capped by the
// per-service timeout. Engine defaults when 0: interval 30 s, timeout 30 s, retries 3.

import type Dockerode from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';

export interface VerifyOptions {
  hasHealthcheck: boolean;
  /** Config.Healthcheck of the container (durations in ns). */
  healthcheck?: { Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  monitorMs: number;
  /** One-shot service: exit 0 counts as success. */
  job: boolean;
  timeoutMs: number;
  pollMs?: number;
}

export type Verdict = { ok: true; detail: string } | { ok: false; reason: string };

const NS_PER_MS = 1_000_000;

export function healthBudgetMs(hc: VerifyOptions['healthcheck'] = {}): number {
  const interval = (hc.Interval || 30_000 * NS_PER_MS) / NS_PER_MS;
  const timeout = (hc.Timeout || 30_000 * NS_PER_MS) / NS_PER_MS;
  const retries = hc.Retries || 3;
  const start = (hc.StartPeriod || 0) / NS_PER_MS;
  return start + (interval + timeout) * (retries + 1) + 2_000;
}

export async function verifyContainer(docker: Dockerode, id: string, opts: VerifyOptions): Promise<Verdict> {
  return opts.hasHealthcheck ? waitHealthy(docker, id, opts) : waitStable(docker, id, opts);
}

async function waitHealthy(docker: Dockerode, id: string, opts: VerifyOptions): Promise<Verdict> {
  const budget = Math.min(healthBudgetMs(opts.healthcheck), opts.timeoutMs);
  const deadline = Date.now() + budget;
  for (;;) {
    const state = (await docker.getContainer(id).inspect()).State;
    const early = exitVerdict(state, opts.job);
    if (early) return early;
    const health = state.Health?.Status;
    if (health === 'healthy') return { ok: true, detail: 'healthy' };
    if (health === 'unhealthy') return { ok: false, reason: `unhealthy: ${lastProbe(state)}` };
    if (Date.now() > deadline) return { ok: false, reason: `not healthy after ${Math.round(budget / 1000)} s (${health ?? 'no health status'}): ${lastProbe(state)}` };
    await sleep(opts.pollMs ?? 250);
  }
}

async function waitStable(docker: Dockerode, id: string, opts: VerifyOptions): Promise<Verdict> {
  const until = Date.now() + Math.min(opts.monitorMs, opts.timeoutMs);
  let restarts: number | undefined;
  for (;;) {
    const info = await docker.getContainer(id).inspect();
    const early = exitVerdict(info.State, opts.job);
    if (early) return early;
    restarts ??= info.RestartCount;
    if (info.RestartCount !== restarts) return { ok: false, reason: `restarted ${info.RestartCount - restarts} time(s) within the monitor window` };
    if (Date.now() >= until) return { ok: true, detail: `running for ${opts.monitorMs} ms without restart` };
    await sleep(opts.pollMs ?? 250);
  }
}

type EngineState = Dockerode.ContainerInspectInfo['State'];

/** A container that is not running has decided: a job's exit 0 passes, everything else fails. */
function exitVerdict(state: EngineState, job: boolean): Verdict | undefined {
  if (state.Restarting) return { ok: false, reason: `restarting after exit code ${state.ExitCode}` };
  if (state.Running) return undefined;
  if (state.Status === 'created') return undefined;
  if (job && state.ExitCode === 0) return { ok: true, detail: 'job exited 0' };
  return { ok: false, reason: `exited with code ${state.ExitCode}${state.Error ? ` (${state.Error})` : ''}` };
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
