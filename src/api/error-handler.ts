import type { Context, Next } from 'koa';
import { ZodError } from 'zod';
import { AcceleroError } from '../errors.ts';
import type { Logger } from '../logger.ts';

// The one error path of the API: every failure becomes `{"error", "code"}` with a status.
// Unexpected errors are logged with the request id and answered without internals.

export function describeZodError(error: ZodError): { message: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { message: 'invalid input' };
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => k.slice(0, 100));
    return { message: `unknown field ${keys.map((k) => `"${k}"`).join(', ')}`, field: keys[0] };
  }
  const field = issue.path.join('.');
  if (!field) return { message: issue.message };
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return { message: missing ? `${field} is required` : `${field}: ${issue.message}`, field };
}

export function errorHandler(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status >= 400 && !isJsonObject(ctx.body)) answerWithoutBody(ctx);
    } catch (error) {
      if (error instanceof ZodError) {
        const { message, field } = describeZodError(error);
        ctx.status = 400;
        ctx.body = { error: message, code: 'invalid_input', ...(field ? { field } : {}) };
      } else if (error instanceof AcceleroError) {
        ctx.status = error.status;
        ctx.body = { error: error.message, code: error.code, ...('field' in error && error.field ? { field: error.field } : {}) };
      } else if (isHttpError(error)) {
        ctx.status = error.status;
        ctx.body = { error: error.expose ? error.message : 'request rejected', code: httpCode(error.status) };
      } else {
        (ctx.state.logger as Logger | undefined ?? logger).error({ err: error }, 'unhandled API error');
        ctx.status = 500;
        ctx.body = { error: 'internal error', code: 'internal_error' };
      }
    }
  };
}

function isJsonObject(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && !('pipe' in body);
}

/** A status set without a body (unknown route, 405 from allowedMethods) still answers JSON. */
function answerWithoutBody(ctx: Context): void {
  const status = ctx.status;
  if (status === 404) {
    ctx.body = { error: `no route for ${ctx.method} ${ctx.path.slice(0, 200)}`, code: 'not_found' };
  } else if (status === 405) {
    ctx.body = { error: `${ctx.method} is not allowed here; allowed: ${ctx.response.get('Allow') || 'none'}`, code: 'method_not_allowed' };
  } else {
    ctx.body = { error: ctx.message || 'request rejected', code: httpCode(status) };
  }
  ctx.status = status;
}

function isHttpError(error: unknown): error is { status: number; message: string; expose?: boolean } {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number'
    && (error as { status: number }).status >= 400 && (error as { status: number }).status < 600;
}

function httpCode(status: number): string {
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 400) return 'invalid_json';
  if (status === 405) return 'method_not_allowed';
  if (status === 501) return 'not_implemented';
  return status >= 500 ? 'internal_error' : 'bad_request';
}
