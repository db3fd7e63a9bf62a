import type { Context } from 'koa';
import Router from '@koa/router';
import { route } from './route.ts';
import type { StackCommands } from '../../../actors/stack-commands.ts';
import type { Supervisor } from '../../../actors/supervisor.ts';
import type { DeploymentStore } from '../../../persistence/deployment-store.ts';
import type { StackRecord } from '../../../persistence/entities/records.ts';
import type { StackStore } from '../../../persistence/stack-store.ts';
import type { TransitionStore } from '../../../persistence/transition-store.ts';
import { callerOf } from '../auth/authenticate.ts';
import { canAccessStack } from '../auth/roles.ts';
import { presentStack } from '../presenters.ts';
import { deleteStackQuery, transitionsQuery } from './query-schemas.ts';
import { createStackSchema, updateStackSchema } from '../stack-schema.ts';
import { requireAdminFor } from '../stack-privileges.ts';

export interface StackRouteDeps {
  commands: StackCommands;
  stacks: StackStore;
  transitions: TransitionStore;
  supervisor: Supervisor;
  deployments: DeploymentStore;
}

export function stackRoutes(deps: StackRouteDeps): Router {
  const router = new Router();
  const present = async (stack: StackRecord) =>
    presentStack(stack, deps.supervisor.state(stack.id), await deps.deployments.latestForStack(stack.id));

  route(router, 'POST /api/v1/stacks', async (ctx) => {
    const input = createStackSchema.parse(ctx.request.body ?? {});
    ctx.state.auditTarget = input.name;
    requireAdminFor(ctx, input);
    const stack = await deps.commands.create(input);
    ctx.state.auditStackId = stack.id;
    ctx.status = 201;
    ctx.body = presentStack(stack, deps.supervisor.state(stack.id));
  });

  /** A key limited to some stacks sees only those. */
  const visibleStacks = async (ctx: Context) => (await deps.stacks.list()).filter((stack) => canAccessStack(callerOf(ctx), stack));

  route(router, 'GET /api/v1/stacks', async (ctx) => {
    const visible = await visibleStacks(ctx);
    const latest = await deps.deployments.latestByStack();
    ctx.body = visible.map((stack) => presentStack(stack, deps.supervisor.state(stack.id), latest.get(stack.id) ?? null));
  });

  // The Go Accelero's summary: each visible stack's status and what it last deployed.
  route(router, 'GET /status', async (ctx) => {
    const visible = await visibleStacks(ctx);
    const summaries = visible.map((stack) => {
      const { id, name, status, last_deployed_at, git_commit } = presentStack(stack, deps.supervisor.state(stack.id));
      return { id, name, status, last_deployed_at, git_commit };
    });
    ctx.body = { stacks: summaries, total: summaries.length };
  });

  route(router, 'GET /api/v1/stacks/{id}', async (ctx) => {
    ctx.body = await present(await deps.commands.get(ctx.params.id!));
  });

  route(router, 'PUT /api/v1/stacks/{id}', async (ctx) => {
    const input = updateStackSchema.parse(ctx.request.body ?? {});
    requireAdminFor(ctx, input);
    const { stack, droppedCredentials } = await deps.commands.update(ctx.params.id!, input);
    const body = await present(stack);
    ctx.body = droppedCredentials.length === 0 ? body : {
      ...body,
      dropped_credentials: droppedCredentials,
      message: `${droppedCredentials.join(', ')} dropped: they were given for another host; send them again with the new setting`,
    };
  });

  route(router, 'DELETE /api/v1/stacks/{id}', async (ctx) => {
    const query = deleteStackQuery.parse(ctx.query);
    await deps.commands.delete(ctx.params.id!, {
      removeContainers: query.remove_containers === 'true',
      removeVolumes: query.remove_volumes === 'true',
    });
    ctx.body = { status: 'deleted' };
  });

  route(router, 'POST /api/v1/stacks/{id}/deploy', async (ctx) => {
    const { stack, deploymentId } = await deps.commands.deploy(ctx.params.id!, 'manual');
    ctx.status = 202;
    ctx.body = { status: 'accepted', stack_id: stack.id, deployment_id: deploymentId, message: `deploy of ${stack.name} queued` };
  });

  route(router, 'POST /api/v1/stacks/{id}/pause', async (ctx) => {
    ctx.body = await present(await deps.commands.setPaused(ctx.params.id!, true));
  });

  route(router, 'POST /api/v1/stacks/{id}/resume', async (ctx) => {
    ctx.body = await present(await deps.commands.setPaused(ctx.params.id!, false));
  });

  route(router, 'GET /api/v1/stacks/{id}/state', async (ctx) => {
    const stack = await deps.commands.get(ctx.params.id!);
    const live = deps.supervisor.state(stack.id);
    ctx.body = live ?? {
      state: stack.state, sync_status: stack.sync_status, health_status: stack.health_status,
      since: stack.updated_at, last_error: stack.last_error, queued_events: [], commit: stack.git_commit, deployment_id: null,
    };
  });

  route(router, 'GET /api/v1/stacks/{id}/transitions', async (ctx) => {
    const stack = await deps.commands.get(ctx.params.id!);
    const { limit, before } = transitionsQuery.parse(ctx.query);
    const rows = await deps.transitions.listForStack(stack.id, limit ?? 100, before);
    ctx.body = rows.map((t) => ({ id: t.id, from: t.from_state, to: t.to_state, event: t.event, at: t.at, deployment_id: t.deployment_id }));
  });

  return router;
}
