import Router from '@koa/router';
import type { Context } from 'koa';
import type { StackRecord } from '../../../persistence/entities/records.ts';
import type { ResourceLists, StackImage, StackNetwork, StackVolume } from '../../docker/index.ts';
import { NotFoundError } from '../../errors.ts';
import { callerOf } from '../auth/authenticate.ts';
import { canAccessStack } from '../auth/roles.ts';
import { route } from './route.ts';
import { resourceQuery } from './query-schemas.ts';

// GET /api/v1/images, /volumes, /networks: what the stacks use on the host. A key limited to
// some stacks sees only theirs; an unlimited key also sees what stacks that no longer exist
// left behind (their label stays), which is what a cleanup looks for.

export interface ResourceRouteDeps {
  stacks: { list(): Promise<StackRecord[]> };
  resources: ResourceLists;
}

/** The stack names the answer may hold; undefined = every label. */
async function scopeOf(ctx: Context, deps: ResourceRouteDeps): Promise<string[] | undefined> {
  const { stack } = resourceQuery.parse(ctx.query);
  const caller = callerOf(ctx);
  if (stack === undefined && caller?.stacks === null) return undefined;
  const visible = (await deps.stacks.list()).filter((s) => canAccessStack(caller, s));
  if (stack === undefined) return visible.map((s) => s.name);
  const named = visible.find((s) => s.id === stack || s.name === stack);
  if (!named) throw new NotFoundError(`stack "${stack.slice(0, 100)}" not found`);
  return [named.name];
}

const presentImage = (i: StackImage) => ({ id: i.id, tags: i.tags, size_bytes: i.sizeBytes, created_at: i.createdAt, stack: i.stack, used_by: i.usedBy });
const presentVolume = (v: StackVolume) => ({ name: v.name, driver: v.driver, created_at: v.createdAt, anonymous: v.anonymous, stack: v.stack, used_by: v.usedBy });
const presentNetwork = (n: StackNetwork) => ({ id: n.id, name: n.name, driver: n.driver, scope: n.scope, stack: n.stack, used_by: n.usedBy });

export function resourceRoutes(deps: ResourceRouteDeps): Router {
  const router = new Router();
  // An empty scope (a limited key whose stacks are all gone) lists nothing, not everything.
  const listed = async <T>(ctx: Context, list: (stacks?: string[]) => Promise<T[]>) => {
    const scope = await scopeOf(ctx, deps);
    return scope?.length === 0 ? [] : list(scope);
  };
  route(router, 'GET /api/v1/images', async (ctx) => { ctx.body = (await listed(ctx, deps.resources.images)).map(presentImage); });
  route(router, 'GET /api/v1/volumes', async (ctx) => { ctx.body = (await listed(ctx, deps.resources.volumes)).map(presentVolume); });
  route(router, 'GET /api/v1/networks', async (ctx) => { ctx.body = (await listed(ctx, deps.resources.networks)).map(presentNetwork); });
  return router;
}
