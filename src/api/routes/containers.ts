import Router from '@koa/router';
import { route } from './route.ts';
import { logsQuery, restartQuery } from './query-schemas.ts';
import type { StackCommands } from '../../../actors/stack-commands.ts';
import type { ContainerOperations } from '../../docker/container-operations.ts';
import { presentContainerDetail, presentStats } from '../container-presenters.ts';

// One container of a stack: detail, logs, a stats sample, a restart. The container is looked
// up among the stack's own, so another stack's container id answers 404 (a key granted one
// stack cannot read or restart another's containers through it).

export interface ContainerRouteDeps {
  commands: StackCommands;
  containers: ContainerOperations;
}

function sinceSeconds(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  return /^\d+$/.test(since) ? Number(since) : Math.floor(Date.parse(since) / 1000);
}

export function containerRoutes(deps: ContainerRouteDeps): Router {
  const router = new Router();

  route(router, 'GET /api/v1/stacks/{id}/containers/{cid}', async (ctx) => {
    const stack = await deps.commands.get(ctx.params.id!);
    ctx.body = presentContainerDetail(await deps.containers.container(stack.name, ctx.params.cid!));
  });

  route(router, 'GET /api/v1/stacks/{id}/containers/{cid}/logs', async (ctx) => {
    const query = logsQuery.parse(ctx.query);
    const stack = await deps.commands.get(ctx.params.id!);
    const text = await deps.containers.containerLogs(stack.name, ctx.params.cid!, {
      tail: query.tail ?? 100, since: sinceSeconds(query.since), timestamps: query.timestamps === 'true',
    });
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = text;
  });

  route(router, 'GET /api/v1/stacks/{id}/containers/{cid}/stats', async (ctx) => {
    const stack = await deps.commands.get(ctx.params.id!);
    ctx.body = presentStats(await deps.containers.containerStats(stack.name, ctx.params.cid!));
  });

  route(router, 'POST /api/v1/stacks/{id}/containers/{cid}/restart', async (ctx) => {
    const query = restartQuery.parse(ctx.query);
    const stack = await deps.commands.get(ctx.params.id!);
    const containerId = await deps.containers.restartContainer(stack.name, ctx.params.cid!, query.t);
    ctx.status = 202;
    ctx.body = { status: 'accepted', container_id: containerId };
  });

  return router;
}
