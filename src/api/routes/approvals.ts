import Router from '@koa/router';
import { z } from 'zod';
import { route } from './route.ts';
import type { StackApprovals } from '../../../actors/stack-approvals.ts';
import { callerOf } from '../auth/authenticate.ts';
import { canAccessStack } from '../auth/roles.ts';
import { presentDeployment } from '../presenters.ts';

export const rejectBody = z.object({ reason: z.string().max(500).optional() }).strict();

export function approvalRoutes(deps: { approvals: StackApprovals }): Router {
  const router = new Router();

  route(router, 'POST /api/v1/stacks/{id}/deployments/{deploymentId}/approve', async (ctx) => {
    const { stack } = await deps.approvals.approve(ctx.params.id!, ctx.params.deploymentId!, callerOf(ctx)?.name ?? 'unknown');
    ctx.status = 202;
    ctx.body = { status: 'accepted', deployment_id: ctx.params.deploymentId, message: `deployment of ${stack.name} approved; it deploys the planned commit now` };
  });

  route(router, 'POST /api/v1/stacks/{id}/deployments/{deploymentId}/reject', async (ctx) => {
    const body = rejectBody.parse(ctx.request.body ?? {});
    const deployment = await deps.approvals.reject(ctx.params.id!, ctx.params.deploymentId!, callerOf(ctx)?.name ?? 'unknown', body.reason);
    ctx.body = presentDeployment(deployment);
  });

  route(router, 'GET /api/v1/approvals', async (ctx) => {
    // A key limited to some stacks sees only theirs.
    const caller = callerOf(ctx);
    const waiting = (await deps.approvals.list()).filter((d) => canAccessStack(caller, { id: d.stack_id, name: d.stack_name }));
    ctx.body = waiting.map((d) => presentDeployment(d));
  });

  return router;
}
