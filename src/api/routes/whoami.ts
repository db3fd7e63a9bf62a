import Router from '@koa/router';
import { route } from './route.ts';
import { callerOf } from '../auth/authenticate.ts';
import { UnauthorizedError } from '../errors.ts';

/** Who the key belongs to: the dashboard shows operator actions only to keys that may use them. */
export function whoamiRoutes(): Router {
  const router = new Router();
  route(router, 'GET /api/v1/whoami', (ctx) => {
    const caller = callerOf(ctx);
    if (!caller) throw new UnauthorizedError('missing X-API-KEY header');
    ctx.body = { name: caller.name, role: caller.role, stacks: caller.stacks, stack_grants: caller.grants ?? null };
  });
  return router;
}
