import Router from '@koa/router';
import { route } from './route.ts';
import { z } from 'zod';
import type { StackCommands } from '../../../actors/stack-commands.ts';

export const rollbackBody = z.object({ deployment_id: z.string().min(1).max(64).optional() }).strict();

export function rollbackRoutes(deps: { commands: StackCommands }): Router {
  const router = new Router();
  route(router, 'POST /api/v1/stacks/{id}/rollback', async (ctx) => {
    const body = rollbackBody.parse(ctx.request.body ?? {});
    const { stack, deploymentId, target } = await deps.commands.rollback(ctx.params.id!, body.deployment_id);
    ctx.status = 202;
    ctx.body = {
      status: 'accepted', stack_id: stack.id, deployment_id: deploymentId, rollback_to: target.id, git_commit: target.git_commit,
      message: `rollback of ${stack.name} to ${target.git_commit?.slice(0, 12)} queued; auto-deploy stays paused until POST /resume`,
    };
  });
  return router;
}
