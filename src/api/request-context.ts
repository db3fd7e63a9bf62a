import type { Context, Next } from 'koa';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { recordHttpRequest } from '../metrics.ts';

// Per request: an id (taken from X-Request-Id when it is a plain token, else generated),
// a child logger that stamps it on every line, one log line when the request ends, and the
// HTTP metrics. Probe and scrape paths log at debug so they do not drown the log.

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const QUIET_PATHS = new Set(['/health', '/healthz', '/readyz', '/metrics']);

export function requestIdFrom(header: string): string {
  return REQUEST_ID.test(header) ? header : randomUUID();
}

/** The request's logger (with its request id); use it in routes instead of the root logger. */
export function requestLogger(ctx: Context): Logger {
  return ctx.state.logger as Logger;
}

export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    const requestId = requestIdFrom(ctx.get('x-request-id'));
    ctx.state.requestId = requestId;
    ctx.state.logger = logger.child({ request_id: requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      recordHttpRequest(ctx.method, String(route), ctx.status, seconds);
      const line = { method: ctx.method, path: ctx.path.slice(0, 512), status: ctx.status, ms: Math.round(seconds * 1000) };
      const level = QUIET_PATHS.has(ctx.path) ? 'debug' : ctx.status >= 500 ? 'error' : 'info';
      requestLogger(ctx)[level](line, 'request');
    }
  };
}
