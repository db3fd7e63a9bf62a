import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';

// X-API-KEY authentication. Keys are compared as SHA-256 digests with timingSafeEqual, so
// neither the length nor the content of the configured key leaks through timing.

export interface ApiKeyVerifier {
  /** Returns the caller's name when the key is valid. */
  verify(key: string): Promise<string | undefined>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function bootstrapKeyVerifier(adminKey: string): ApiKeyVerifier {
  const expected = digest(adminKey);
  return { verify: async (key) => (timingSafeEqual(digest(key), expected) ? 'admin' : undefined) };
}

/** Paths that answer without a key (health probes, metrics, signed webhooks). */
export function isPublicPath(path: string): boolean {
  return ['/health', '/healthz', '/readyz', '/metrics', '/webhook', '/api/v1/webhook'].includes(path)
    || path.startsWith('/api/v1/webhooks/');
}

export function requireApiKey(verifier: ApiKeyVerifier) {
  return async (ctx: Context, next: Next) => {
    if (isPublicPath(ctx.path)) return next();
    const key = ctx.get('x-api-key');
    if (!key) {
      ctx.status = 401;
      ctx.body = { error: 'missing X-API-KEY header', code: 'unauthorized' };
      return;
    }
    const caller = await verifier.verify(key);
    if (!caller) {
      ctx.status = 403;
      ctx.body = { error: 'invalid API key', code: 'forbidden' };
      return;
    }
    ctx.state.caller = caller;
    return next();
  };
}
