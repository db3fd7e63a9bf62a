import type { Context, Next } from 'koa';
import type { StackRecord } from '../../../persistence/entities/records.ts';
import { ForbiddenError, TooManyAttemptsError, UnauthorizedError } from '../errors.ts';
import type { ApiKeyAuthenticator } from './api-keys.ts';
import type { FailedAuthLimiter } from './failed-auth-limiter.ts';
import { canAccessStack, hasRole, type Caller, type Role } from './roles.ts';

// Who calls, and may they use the route that matched. Identification runs for every request
// (X-API-KEY → Caller); authorization runs inside each route, with the access the route was
// registered with (routes/route.ts), so a path written in capitals, with a trailing slash or
// percent-encoded reaches the same check as the route it matches. 401 without a key, 403 for
// a wrong key or too little right, 429 for an address that sent too many wrong keys.

export interface StackLookup {
  find(idOrName: string): Promise<StackRecord | null>;
}

interface AuthState {
  caller?: Caller;
  /** A key was sent and matches no key. */
  invalidKey: boolean;
  stacks: StackLookup;
}

export function callerOf(ctx: Context): Caller | undefined {
  return (ctx.state.auth as AuthState | undefined)?.caller;
}

/** The stack a stack route's `{id}` names, once the route's authorization looked it up. */
export function stackOf(ctx: Context): StackRecord | undefined {
  return (ctx.state.stack as StackRecord | null | undefined) ?? undefined;
}

export function identifyCaller(keys: ApiKeyAuthenticator, stacks: StackLookup, limiter: FailedAuthLimiter) {
  return async (ctx: Context, next: Next) => {
    const state: AuthState = { invalidKey: false, stacks };
    ctx.state.auth = state;
    const key = ctx.get('x-api-key');
    if (key) {
      const wait = await limiter.blockedFor(ctx.ip);
      if (wait > 0) {
        ctx.set('Retry-After', String(wait));
        throw new TooManyAttemptsError(wait);
      }
      state.caller = await keys.identify(key);
      if (!state.caller) {
        state.invalidKey = true;
        await limiter.recordFailure(ctx.ip);
      }
    }
    return next();
  };
}

/** The caller, with at least `role`; throws the 401 or 403. */
export function requireCaller(ctx: Context, role: Role, what = `${ctx.method} ${ctx.path.slice(0, 200)}`): Caller {
  const state = ctx.state.auth as AuthState;
  if (state.invalidKey) throw new ForbiddenError('invalid API key');
  if (!state.caller) throw new UnauthorizedError('missing X-API-KEY header');
  if (!hasRole(state.caller, role)) throw new ForbiddenError(`${what} needs the ${role} role; this key has ${state.caller.role}`);
  return state.caller;
}

export interface RouteAccess {
  role: Role;
  /** The route's `{id}` is a stack: a key limited to some stacks must be granted it. */
  stackParam: boolean;
  /** A key limited to some stacks may call it; the route answers only about its stacks. */
  filtersByGrant: boolean;
}

/** The check a route runs before its handler. */
export function authorize(access: RouteAccess, routeName: string) {
  return async (ctx: Context, next: Next) => {
    const caller = requireCaller(ctx, access.role, routeName);
    if (access.stackParam) {
      const stack = await (ctx.state.auth as AuthState).stacks.find(String(ctx.params.id));
      ctx.state.stack = stack;
      // An unknown stack falls through to the route's 404.
      if (stack && !canAccessStack(caller, stack)) {
        throw new ForbiddenError(`this key is not granted stack "${String(ctx.params.id).slice(0, 100)}"`);
      }
    } else if (caller.stacks !== null && !access.filtersByGrant) {
      throw new ForbiddenError(`a key limited to some stacks cannot use ${routeName}`);
    }
    return next();
  };
}
