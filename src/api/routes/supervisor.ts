import Router from '@koa/router';
import { route } from './route.ts';
import type { Supervisor } from '../../../actors/supervisor.ts';

/**
 * What the root supervisor looks after: deploy slots, stack actors, restarts and parked stacks.
 * Host-wide figures, so a key limited to some stacks cannot read them (docs/api.md, Auth).
 */
export function supervisorRoutes(deps: { supervisor: Supervisor }): Router {
  const router = new Router();
  route(router, 'GET /api/v1/supervisor', (ctx) => {
    const figures = deps.supervisor.figures();
    ctx.body = {
      deploy_slots: { in_use: figures.deploySlots.inUse, limit: figures.deploySlots.limit, waiting: figures.deploySlots.waiting },
      stack_actors: { running: figures.actors, busy: figures.busy, restarted: figures.restarts },
      parked: figures.parked.map((p) => ({ stack_id: p.stackId, stack_name: p.stackName, error: p.error })),
    };
  });
  return router;
}
