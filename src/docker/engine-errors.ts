// Turns dockerode failures into DockerError with the user's words: which stack, which
// service, what was being done, and the engine's own message (`json.message`). An engine that
// did not answer in time (`docker_timeout`) or could not be reached (`docker_unavailable`) is
// told apart from an engine that refused: isEngineUnavailable().

import { formatDuration } from '../compose/durations.ts';
import { AcceleroError, DockerError, errorMessage } from '../errors.ts';

export interface Where { stack?: string; service?: string }

export type EngineFaultCode = 'docker_timeout' | 'docker_unavailable';

/**
 * Raised by the client itself (src/docker/client.ts), which knows the request but not what it
 * was for; wrapEngineError() turns it into a DockerError with the same code that says both.
 */
export class EngineFault extends DockerError {
  declare readonly code: EngineFaultCode;
  constructor(message: string, code: EngineFaultCode, readonly request: string, options?: { cause?: unknown }) {
    super(message, code, options);
  }
}

/** `request`: what the client sent, e.g. `POST /containers/3f2a…/stop`. */
export function engineTimedOut(address: string, request: string, limit: { timeoutMs: number; graceMs?: number; idle?: boolean }): EngineFault {
  const timeout = formatDuration(limit.timeoutMs * 1e6);
  const bound = limit.graceMs
    ? `within ${formatDuration((limit.timeoutMs + limit.graceMs) * 1e6)} (DOCKER_TIMEOUT=${timeout} plus the ${formatDuration(limit.graceMs * 1e6)} stop grace period)`
    : limit.idle ? `with no progress for ${timeout} (DOCKER_TIMEOUT)` : `within ${timeout} (DOCKER_TIMEOUT)`;
  return new EngineFault(`the Docker engine at ${address} did not answer ${request} ${bound}`, 'docker_timeout', request);
}

export function engineUnreachable(address: string, request: string, cause: unknown): EngineFault {
  return new EngineFault(`the Docker engine at ${address} is not reachable (${request}: ${errorMessage(cause)})`, 'docker_unavailable', request, { cause });
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOENT']);
const DROPPED_CONNECTION = new Set(['ECONNRESET', 'EPIPE']);

/** A socket error of the connection to the engine: no daemon, no socket file, or the daemon went away mid-call. */
export function isConnectionFailure(error: unknown): boolean {
  const e = error as { code?: unknown; syscall?: unknown; statusCode?: unknown; message?: unknown };
  if (!e || typeof e !== 'object' || e.statusCode !== undefined || error instanceof AcceleroError) return false;
  if (CONNECT_FAILURES.has(e.code as string)) return e.syscall === 'connect'; // not a missing file elsewhere
  return DROPPED_CONNECTION.has(e.code as string) || e.message === 'socket hang up';
}

/**
 * True when the engine failed rather than the request: it did not answer in time or could not
 * be reached, here or in the cause of a Docker error (a pull whose stream the engine dropped).
 */
export function isEngineUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AcceleroError) {
      if (e.code === 'docker_timeout' || e.code === 'docker_unavailable') return true;
      if (!(e instanceof DockerError)) return false; // a compose or git error's causes are not the engine's
    } else if (isConnectionFailure(e)) {
      return true;
    }
  }
  return false;
}

export function engineMessage(error: unknown): string {
  const e = error as { json?: { message?: string }; reason?: string; statusCode?: number };
  return e?.json?.message ?? errorMessage(error);
}

export function statusCode(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}

export function wrapEngineError(error: unknown, doing: string, where: Where = {}, code = 'docker_error'): DockerError {
  if (error instanceof DockerError && !(error instanceof EngineFault)) return error;
  const scope = [where.stack && `stack ${where.stack}`, where.service && `service ${where.service}`].filter(Boolean).join(', ');
  const fault = error instanceof EngineFault ? error.code : isConnectionFailure(error) ? 'docker_unavailable' : code;
  return new DockerError(`${scope ? `${scope}: ` : ''}${doing} failed: ${engineMessage(error)}`, fault, { cause: error });
}

/** Runs one engine call; a failure becomes a DockerError naming what and where. */
export async function engine<T>(doing: string, where: Where, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw wrapEngineError(error, doing, where);
  }
}

/** Like engine(), but a 404 (already gone) is success: removals are idempotent. */
export async function engineIgnoringMissing(doing: string, where: Where, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (statusCode(error) === 404) return;
    throw wrapEngineError(error, doing, where);
  }
}

