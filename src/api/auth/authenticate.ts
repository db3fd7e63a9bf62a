import type { Context, Next } from 'koa';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { ApiKeyAuthenticator } from './api-keys.ts';
import { canAccessStack, hasRole, requiredRole, stackInPath, type Caller } from './roles.ts';

// The auth middleware: who calls (X-API-KEY → Caller), is the role enough for the method and
// path, and does a key limited to some stacks stay within them. 401 without a key, 403 for a
// wrong key or too little right. Failures are thrown into the one error path.

export interface StackLookup {
  find(idOrName: string): Promise<{ id: string; name: string } | null>;
}

const PUBLIC_PATHS = new Set(['/health', '/healthz', '/readyz', '/metrics', '/webhook', '/api/v1/webhook']);

/** Paths that answer without a key (health probes, metrics, signed webhooks). */
export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path) || path.startsWith('/api/v1/webhooks/');
}

/** Non-stack routes a key limited to some stacks may still use. */
const SCOPED_KEY_PATHS = new Set(['/api/v1/stacks', '/api/v1/machine', '/api/v1/openapi.json', '/api/v1/whoami']);

export function callerOf(ctx: Context): Caller | undefined {
  return ctx.state.caller as Caller | undefined;
}

export function authenticate(keys: ApiKeyAuthenticator, stacks: StackLookup) {
  return async (ctx: Context, next: Next) => {
    if (isPublicPath(ctx.path)) return next();
    const key = ctx.get('x-api-key');
    if (!key) throw new UnauthorizedError('missing X-API-KEY header');
    const caller = await keys.identify(key);
    if (!caller) throw new ForbiddenError('invalid API key');
    ctx.state.caller = caller;
    const needed = requiredRole(ctx.method, ctx.path);
    if (!hasRole(caller, needed)) {
      throw new ForbiddenError(`${ctx.method} ${ctx.path} needs the ${needed} role; this key has ${caller.role}`);
    }
    if (caller.stacks !== null) await checkStackGrant(ctx, caller, stacks);
    return next();
  };
}

async function checkStackGrant(ctx: Context, caller: Caller, stacks: StackLookup): Promise<void> {
  const idOrName = stackInPath(ctx.path) ?? streamedStack(ctx);
  if (idOrName === undefined) {
    checkScopedNonStackPath(ctx);
    return;
  }
  const stack = await stacks.find(idOrName);
  // An unknown stack falls through to the route's 404.
  if (stack && !canAccessStack(caller, stack)) {
    throw new ForbiddenError(`this key is not granted stack "${idOrName.slice(0, 100)}"`);
  }
}

/** `/api/v1/events?stack=` names the one stack whose events a limited key may follow. */
function streamedStack(ctx: Context): string | undefined {
  if (ctx.path !== '/api/v1/events') return undefined;
  if (typeof ctx.query.stack !== 'string' || !ctx.query.stack) {
    throw new ForbiddenError('a key limited to some stacks must name a granted stack with ?stack=');
  }
  return ctx.query.stack;
}

function checkScopedNonStackPath(ctx: Context): void {
  const path = ctx.path.replace(/\/+$/, '') || '/';
  if (!SCOPED_KEY_PATHS.has(path)) throw new ForbiddenError('a key limited to some stacks cannot use this route');
  if (path === '/api/v1/stacks' && ctx.method === 'POST') {
    throw new ForbiddenError('a key limited to some stacks cannot create stacks');
  }
}
