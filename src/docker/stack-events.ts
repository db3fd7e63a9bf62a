// The engine's event stream for one stack during a rollout (start, die, restart, health_status
// of containers labelled accelero.stack=<stack>): verification and depends_on waits follow it
// instead of polling inspect per container. When the stream drops it reconnects with `since`
// set to the last event seen, so the engine replays what was missed; until it is back
// `live` is false and waiters poll inspect (which also surfaces an engine that went away).

import type Dockerode from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../errors.ts';
import { wrapEngineError } from './engine-errors.ts';
import { LABEL } from './labels.ts';
import type { Logger } from './logger.ts';

/** What the events said about one container since the watch opened. */
export interface ObservedContainer {
  running: boolean;
  /** Exit code of the last die. */
  exitCode?: number;
  health?: 'healthy' | 'unhealthy';
  /** How often it died after it started (a restart policy brings it back: still counted). */
  dies: number;
}

interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

const RECONNECT_MS = [100, 250, 500, 1_000, 2_000];
const HEARTBEAT_MS = 2_000;

export class StackEvents {
  private readonly observed = new Map<string, ObservedContainer>();
  private readonly seen = new Set<string>();
  private readonly wakers = new Set<() => void>();
  private readonly serviceVersions = new Map<string, number>();
  private stream?: NodeJS.ReadableStream & { destroy?: () => void };
  private sinceNano: number;
  private closed = false;
  private buffered = '';
  /** Bumped by every event and every change of `live`; waiters compare against it. */
  version = 0;
  /** True while the stream is connected; otherwise waiters poll inspect. */
  live = false;
  private wakeAll = 0;
  private engineFailure?: Error;

  private constructor(private readonly docker: Dockerode, readonly stackName: string, private readonly logger: Logger) {
    // Only a reconnect asks for `since` (the first connect starts now, on the engine's clock):
    // the last event's engine time, or this, a second before the watch opened, if none came yet.
    this.sinceNano = (Date.now() - 1_000) * 1e6;
  }

  /** Opens the stream before the first container is created; an engine that is away leaves it polling. */
  static async open(docker: Dockerode, stackName: string, logger: Logger): Promise<StackEvents> {
    const events = new StackEvents(docker, stackName, logger);
    if (!(await events.connect(false))) events.reconnectLater(0);
    events.heartbeat();
    return events;
  }

  /** Throws when the engine stopped answering (the last ping failed). */
  assertEngineAnswers(): void {
    if (this.engineFailure) throw this.engineFailure;
  }

  close(): void {
    this.closed = true;
    this.stream?.destroy?.();
    this.setLive(false);
  }

  observe(id: string): ObservedContainer | undefined {
    return this.observed.get(id);
  }

  /** Counts the events of one service's containers (and changes of `live`, and nudges); without a service, all of them. */
  versionOf(service?: string): number {
    return service === undefined ? this.version : (this.serviceVersions.get(service) ?? 0) + this.wakeAll;
  }

  /** Wakes every waiter to look again (the rollout changed course: a service failed). */
  nudge(): void {
    this.wakeAll++;
    this.bump();
  }

  /** Resolves once versionOf(service) moved on from `since`, or after `ms`. */
  async changedSince(since: number, ms: number, service?: string): Promise<void> {
    const until = Date.now() + Math.max(0, ms);
    while (this.versionOf(service) === since && !this.closed && Date.now() < until) await this.nextBump(until - Date.now());
  }

  private async nextBump(ms: number): Promise<void> {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => { wake = resolve; });
    this.wakers.add(wake);
    const timer = setTimeout(wake, ms);
    try {
      await woken;
    } finally {
      clearTimeout(timer);
      this.wakers.delete(wake);
    }
  }

  private async connect(reconnect: boolean): Promise<boolean> {
    try {
      const since = reconnect ? { since: (this.sinceNano / 1e9).toFixed(9) } : {};
      const stream = (await this.docker.getEvents({
        ...since,
        filters: { type: ['container'], label: [`${LABEL.stack}=${this.stackName}`], event: ['start', 'die', 'restart', 'health_status'] },
      } as unknown as Dockerode.GetEventsOptions)) as StackEvents['stream'] & NodeJS.ReadableStream;
      if (this.closed) { stream.destroy?.(); return true; }
      this.stream = stream;
      stream.on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8')));
      stream.on('error', (error: unknown) => this.dropped(stream, error));
      stream.on('end', () => this.dropped(stream, undefined));
      stream.on('close', () => this.dropped(stream, undefined));
      this.setLive(true);
      return true;
    } catch (error) {
      this.logger.warn({ stack: this.stackName, err: errorMessage(error) }, 'engine events not available; polling containers meanwhile');
      return false;
    }
  }

  private heartbeat(): void {
    void (async () => {
      while (!this.closed) {
        await sleep(HEARTBEAT_MS, undefined, { ref: false }); // never what keeps a process alive
        if (this.closed) return;
        const failure = await this.docker.ping().then(() => undefined, (error: unknown) =>
          wrapEngineError(error, 'checking that the engine answers during the rollout', { stack: this.stackName }));
        if (Boolean(failure) !== Boolean(this.engineFailure)) {
          this.engineFailure = failure;
          this.wakeAll++;
          this.bump();
        }
      }
    })();
  }

  private dropped(stream: unknown, error: unknown): void {
    if (this.stream !== stream || this.closed) return;
    this.stream = undefined;
    this.setLive(false);
    this.logger.warn({ stack: this.stackName, err: error ? errorMessage(error) : 'stream ended' }, 'engine event stream dropped; reconnecting');
    this.reconnectLater(0);
  }

  private reconnectLater(attempt: number): void {
    void (async () => {
      await sleep(RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)]!, undefined, { ref: false });
      if (this.closed || this.stream) return;
      if (!(await this.connect(true))) this.reconnectLater(attempt + 1);
    })();
  }

  private receive(text: string): void {
    // One JSON object a line; a chunk may end in the middle of one.
    const lines = (this.buffered + text).split('\n');
    this.buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        this.apply(JSON.parse(line) as EngineEvent);
      } catch {
        // Not an event (the engine writes nothing else here); ignore it.
      }
    }
  }

  private apply(event: EngineEvent): void {
    const id = event.Actor?.ID;
    const action = event.Action ?? '';
    if (!id || event.Type !== 'container') return;
    const key = `${id}/${action}/${event.timeNano ?? event.time}`;
    if (this.seen.has(key)) return; // replayed after a reconnect
    this.seen.add(key);
    if (event.timeNano && event.timeNano > this.sinceNano) this.sinceNano = event.timeNano;
    const current = this.observed.get(id) ?? { running: false, dies: 0 };
    const attributes = event.Actor?.Attributes ?? {};
    this.observed.set(id, nextObservation(current, action, attributes));
    const service = attributes[LABEL.service];
    if (service !== undefined) this.serviceVersions.set(service, (this.serviceVersions.get(service) ?? 0) + 1);
    this.bump();
  }

  private setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.wakeAll++;
    this.bump();
  }

  private bump(): void {
    this.version++;
    for (const wake of [...this.wakers]) wake();
  }
}

export function nextObservation(current: ObservedContainer, action: string, attributes: Record<string, string>): ObservedContainer {
  // A start (also a restart policy's) begins a new health history.
  if (action === 'start') return { running: true, dies: current.dies, ...(current.exitCode === undefined ? {} : { exitCode: current.exitCode }) };
  if (action === 'die') return { ...current, running: false, exitCode: Number(attributes.exitCode ?? -1), dies: current.dies + 1 };
  if (action === 'restart') return { ...current, running: true };
  if (action === 'health_status: healthy') return { ...current, health: 'healthy' };
  if (action === 'health_status: unhealthy') return { ...current, health: 'unhealthy' };
  return current;
}
