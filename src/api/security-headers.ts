import type { Context, Next } from 'koa';

// Headers on every answer, errors included. The API answers JSON, text and event streams:
// nothing a browser should sniff into HTML, frame, cache or send a referrer from. A route
// that serves pages sets its own Content-Security-Policy; the API's default forbids all.
// Written out rather than taken from helmet: helmet's defaults are for pages (a CSP allowing
// 'self' scripts, HSTS on plain HTTP), and overriding them is as long as this list.

const FIXED_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Permitted-Cross-Domain-Policies': 'none',
};

const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders() {
  return async (ctx: Context, next: Next) => {
    ctx.set(FIXED_HEADERS);
    try {
      await next();
    } finally {
      if (!ctx.response.get('Content-Security-Policy')) ctx.set('Content-Security-Policy', DEFAULT_CSP);
      if (!ctx.response.get('Cache-Control')) ctx.set('Cache-Control', 'no-store');
    }
  };
}
