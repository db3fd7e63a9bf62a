import Router from '@koa/router';
import { route } from './route.ts';
import type { StackCommands } from '../../../actors/stack-commands.ts';
import type { StackInspector } from '../../../actors/stack-inspector.ts';
import { presentAction, presentContainer, presentDrift, presentViolation } from '../presenters.ts';

// Drift and preview: what differs between git and the engine, and what a deploy would do.
export function driftRoutes(deps: { commands: StackCommands; inspector: StackInspector }): Router {
  const router = new Router();

  route(router, 'GET /api/v1/stacks/{id}/drift', async (ctx) => {
    const stack = await deps.commands.get(ctx.params.id!);
    const { checkedAt, diff } = await deps.inspector.diff(stack);
    ctx.body = { stack_id: stack.id, stack_name: stack.name, checked_at: checkedAt, has_drift: diff.drift.length > 0, drifts: diff.drift.map(presentDrift) };
  });

  route(router, 'POST /api/v1/stacks/{id}/preview', async (ctx) => {
    const stack = await deps.commands.get(ctx.params.id!);
    const { checkedAt, commit, diff, violations } = await deps.inspector.diff(stack);
    ctx.body = {
      stack_id: stack.id, stack_name: stack.name, checked_at: checkedAt, git_commit: commit, has_changes: diff.plan.hasChanges,
      actions: diff.plan.actions.map(presentAction),
      // A deploy of this commit would fail with these, before anything is changed.
      policy_violations: violations.map(presentViolation),
    };
  });

  route(router, 'GET /api/v1/stacks/{id}/containers', async (ctx) => {
    const stack = await deps.commands.get(ctx.params.id!);
    ctx.body = (await deps.inspector.containers(stack)).map(presentContainer);
  });

  return router;
}
