// Turns dockerode failures into DockerError with the user's words: which stack, which
// service, what was being done, and the engine's own message (`json.message`).

import { DockerError, errorMessage } from '../errors.ts';

export interface Where { stack?: string; service?: string }

export function engineMessage(error: unknown): string {
  const e = error as { json?: { message?: string }; reason?: string; statusCode?: number };
  return e?.json?.message ?? errorMessage(error);
}

export function statusCode(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}

export function wrapEngineError(error: unknown, doing: string, where: Where = {}, code = 'docker_error'): DockerError {
  if (error instanceof DockerError) return error;
  const scope = [where.stack && `stack ${where.stack}`, where.service && `service ${where.service}`].filter(Boolean).join(', ');
  return new DockerError(`${scope ? `${scope}: ` : ''}${doing} failed: ${engineMessage(error)}`, code, { cause: error });
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

const UNREACHABLE = /ECONNREFUSED|ENOENT|ECONNRESET|EPIPE|socket hang up|ETIMEDOUT|timed? ?out/i;

/**
 * The engine itself failed (unreachable, connection lost, no answer in time), as opposed to
 * the engine refusing what was asked: such a failure says nothing about the release.
 */
export function isEngineFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (code === 'docker_unavailable' || code === 'docker_timeout') return true;
    if (typeof code === 'string' && UNREACHABLE.test(code)) return true;
    if (statusCode(e) === undefined && UNREACHABLE.test(errorMessage(e))) return true;
  }
  return false;
}
