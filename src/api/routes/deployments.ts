import Router from '@koa/router';
import { route } from './route.ts';
import type { StackCommands } from '../../../actors/stack-commands.ts';
import type { DeploymentStore } from '../../../persistence/deployment-store.ts';
import { NotFoundError } from '../../errors.ts';
import { presentDeployment } from '../presenters.ts';
import { limitQuery } from './query-schemas.ts';

export function deploymentRoutes(deps: { commands: StackCommands; deployments: DeploymentStore }): Router {
  const router = new Router();

  route(router, 'GET /api/v1/stacks/{id}/deployments', async (ctx) => {
    const stack = await deps.commands.get(ctx.params.id!);
    const { limit } = limitQuery.parse(ctx.query);
    ctx.body = (await deps.deployments.listForStack(stack.id, limit ?? 50)).map((d) => presentDeployment(d));
  });

  route(router, 'GET /api/v1/stacks/{id}/deployments/{deploymentId}', async (ctx) => {
    const stack = await deps.commands.get(ctx.params.id!);
    const deployment = await deps.deployments.get(ctx.params.deploymentId!);
    if (!deployment || deployment.stack_id !== stack.id) {
      throw new NotFoundError(`deployment "${ctx.params.deploymentId}" of stack "${stack.name}" not found`);
    }
    ctx.body = presentDeployment(deployment, true);
  });

  return router;
}
