import type { Context, Next } from 'koa';
import type { StackRecord } from '../../../persistence/entities/records.ts';
import { ForbiddenError, TooManyAttemptsError, UnauthorizedError } from '../errors.ts';
import type { ApiKeyAuthenticator } from './api-keys.ts';
import type { FailedAuthLimiter } from './failed-auth-limiter.ts';
import { bestRole, canAccessStack, roleAllows, roleOn, type Caller, type Role } from './roles.ts';

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
  /** A key was sent that an admin disabled. */
  disabledKey?: boolean;
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
      const identified = await keys.identify(key);
      // A disabled key is a known one: no failed attempt, and routes that need a key say why.
      state.disabledKey = identified === 'disabled';
      state.caller = identified === 'disabled' ? undefined : identified;
      if (!state.caller && !state.disabledKey) {
        state.invalidKey = true;
        await limiter.recordFailure(ctx.ip);
      }
    }
    return next();
  };
}

/**
 * The caller, with at least `role` (on some stack, with `anywhere`: the route then checks the
 * stack or answers only about the stacks the caller has the role on); throws the 401 or 403.
 */
export function requireCaller(ctx: Context, role: Role, what = `${ctx.method} ${ctx.path.slice(0, 200)}`, anywhere = false): Caller {
  const state = ctx.state.auth as AuthState;
  if (state.invalidKey) throw new ForbiddenError('invalid API key');
  if (state.disabledKey) throw new UnauthorizedError('this API key is disabled; an admin can enable it again (PATCH /api/v1/apikeys/{id} {"disabled": false})');
  if (!state.caller) throw new UnauthorizedError('missing X-API-KEY header');
  const has = anywhere ? bestRole(state.caller) : state.caller.role;
  if (!roleAllows(has, role)) throw new ForbiddenError(`${what} needs the ${role} role; this key has ${has}`);
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
    const caller = requireCaller(ctx, access.role, routeName, access.stackParam || access.filtersByGrant);
    if (access.stackParam) {
      const stack = await (ctx.state.auth as AuthState).stacks.find(String(ctx.params.id));
      ctx.state.stack = stack;
      // An unknown stack falls through to the route's 404.
      if (stack) {
        if (!canAccessStack(caller, stack)) throw new ForbiddenError(`this key is not granted stack "${String(ctx.params.id).slice(0, 100)}"`);
        const there = roleOn(caller, stack);
        if (!roleAllows(there, access.role)) throw new ForbiddenError(`${routeName} needs the ${access.role} role on stack "${stack.name}"; this key has ${there} there`);
      }
    } else if (caller.stacks !== null && !access.filtersByGrant) {
      throw new ForbiddenError(`a key limited to some stacks cannot use ${routeName}`);
    }
    return next();
  };
}
