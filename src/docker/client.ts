// The Docker client of the daemon: dockerode, with a bound on every API call (DOCKER_TIMEOUT).
//
// The bound is put on the modem's dial, which every dockerode call goes through, as an
// AbortSignal per request: the modem's own `timeout` is a socket idle timer for the whole
// life of the connection, which would cut the quiet streams, end a stop whose grace period is
// longer, and fail as a bare "socket hang up" that says neither what nor why.
//
// * Plain calls: the answer must be complete within the timeout.
// * Container stop/restart: the timeout plus the grace period (`t`, or the container's own
//   StopTimeout, which is read first), since the engine answers only once the process exited.
// * Progress streams (pull, push, load, build, export): the response must start within the
//   timeout, then each stretch without data is bounded by it, not the total.
// * Quiet streams (events, logs/stats, attach, exec start): only until the response starts;
//   `wait` (which answers when the container exits) not at all.
// A timeout or an unreachable engine is an EngineFault (docker_timeout / docker_unavailable),
// which engine()/wrapEngineError() turn into a DockerError that says what and where.

import type { IncomingMessage } from 'node:http';
import type DockerodeType from 'dockerode';
import Dockerode from './dockerode.ts';
import type { AcceleroConfig } from '../config/config.ts';
import { engineTimedOut, engineUnreachable, EngineFault, isConnectionFailure } from './engine-errors.ts';

export type DockerClientConfig = Pick<AcceleroConfig, 'docker' | 'dockerTimeoutMs'> & Partial<Pick<AcceleroConfig, 'dockerDescription'>>;

/** What docker-modem's dial takes (the fields the bound looks at). */
interface DialOptions {
  path: string;
  method: string;
  isStream?: boolean;
  hijack?: boolean;
  openStdin?: boolean;
  abortSignal?: AbortSignal;
  statusCodes?: Record<number, boolean | string>;
  options?: Record<string, unknown>;
}
type DialCallback = (error: unknown, result?: unknown) => void;
type Dial = (options: DialOptions, callback: DialCallback) => void;

interface Bound {
  /** Until the callback (plain calls: the whole answer; streams: the response's start). */
  ms: number;
  graceMs?: number;
  /** Streams: the longest stretch without data after the response started. */
  idleMs?: number;
}

const WAIT = /^\/containers\/[^/]+\/wait$/;
const STOP = /^\/containers\/([^/]+)\/(stop|restart)$/;
const QUIET_STREAM = /^\/(events|containers\/[^/]+\/(logs|stats|attach|attach\/ws)|exec\/[^/]+\/start)$/;
/** The engine's default when a container has no StopTimeout of its own. */
const DEFAULT_STOP_SECONDS = 10;

export function createDockerClient(config: DockerClientConfig): DockerodeType {
  const docker = new Dockerode(config.docker);
  const address = config.dockerDescription ?? describeConnection(config.docker);
  const modem = docker.modem as unknown as { dial: Dial };
  modem.dial = boundedDial(modem.dial.bind(modem), config.dockerTimeoutMs, address);
  return docker;
}

function boundedDial(dial: Dial, timeoutMs: number, address: string): Dial {
  const bounded: Dial = (options, callback) => {
    const path = options.path.split('?')[0]!;
    const request = `${options.method} ${shortenIds(path)}`;
    const run = (bound: Bound | undefined) => runBounded(dial, options, callback, { bound, request, address, timeoutMs });
    if (options.method === 'POST' && WAIT.test(path)) return run(undefined);
    if (options.hijack || options.openStdin || (options.isStream && QUIET_STREAM.test(path))) return run({ ms: timeoutMs });
    if (options.isStream) return run({ ms: timeoutMs, idleMs: timeoutMs });
    const stop = options.method === 'POST' ? STOP.exec(path) : null;
    if (!stop) return run({ ms: timeoutMs });
    void stopGraceMs(bounded, stop[1]!, options.options?.t).then(
      (graceMs) => run(graceMs === undefined ? undefined : { ms: timeoutMs + graceMs, graceMs }),
      (fault: unknown) => callback(fault),
    );
  };
  return bounded;
}

interface CallContext { bound: Bound | undefined; request: string; address: string; timeoutMs: number }

function runBounded(dial: Dial, options: DialOptions, callback: DialCallback, call: CallContext): void {
  const { bound, request, address } = call;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  const settle = (error: unknown, result?: unknown) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    callback(error, result);
  };
  if (bound) {
    timer = setTimeout(() => {
      const fault = engineTimedOut(address, request, { timeoutMs: call.timeoutMs, graceMs: bound.graceMs });
      settle(fault);
      controller.abort(fault); // frees the socket; the call's own late error is ignored
    }, bound.ms);
    options.abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, controller.signal]) : controller.signal;
  }
  dial(options, (error, result) => {
    if (error) return settle(isConnectionFailure(error) ? engineUnreachable(address, request, error) : error);
    if (bound?.idleMs && isResponse(result)) limitSilence(result, bound.idleMs, () => engineTimedOut(address, request, { timeoutMs: call.timeoutMs, idle: true }));
    settle(null, result);
  });
}

/** A stretch without data on the stream ends it with the fault (the socket's idle timer). */
function limitSilence(response: IncomingMessage, idleMs: number, fault: () => EngineFault): void {
  response.setTimeout(idleMs, () => response.destroy(fault()));
}

/**
 * The grace period of a stop: `t` when the caller gave one, else the container's StopTimeout.
 * undefined: no bound (a negative timeout waits for the process however long it takes).
 */
async function stopGraceMs(dial: Dial, id: string, t: unknown): Promise<number | undefined> {
  const seconds = t !== undefined && t !== '' ? Number(t) : await ownStopTimeout(dial, id);
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return seconds * 1000;
}

function ownStopTimeout(dial: Dial, id: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = { path: `/containers/${id}/json?`, method: 'GET', statusCodes: { 200: true, 404: 'no such container', 500: 'server error' }, options: {} };
    dial(options, (error, info) => {
      // An engine that does not answer is the stop's failure; any other error is the stop's to report.
      if (error instanceof EngineFault) return reject(error);
      const own = (info as { Config?: { StopTimeout?: number } } | undefined)?.Config?.StopTimeout;
      resolve(error || own === undefined || own === null ? DEFAULT_STOP_SECONDS : own);
    });
  });
}

function isResponse(value: unknown): value is IncomingMessage {
  return typeof (value as IncomingMessage | undefined)?.setTimeout === 'function' && 'statusCode' in (value as object);
}

/** Container and image ids in a request path, shortened as `docker ps` shows them. */
function shortenIds(path: string): string {
  return path.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1');
}

function describeConnection(connection: AcceleroConfig['docker']): string {
  return 'socketPath' in connection ? `unix://${connection.socketPath}` : `${connection.protocol}://${connection.host}:${connection.port}`;
}
