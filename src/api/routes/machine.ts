import Router from '@koa/router';
import { route } from './route.ts';
import { z } from 'zod';
import { describeMachine, toMermaid } from '../../../machines/describe-machine.ts';
import { stackMachine } from '../../../machines/stack.machine.ts';
import { STACK_STATES } from '../../../machines/stack.types.ts';

export const formatQuery = z.object({ format: z.enum(['json', 'mermaid']).optional() }).strict();

/** The stack machine as the code defines it, as JSON or a mermaid stateDiagram-v2. */
export function machineRoutes(): Router {
  const router = new Router();
  const description = describeMachine(stackMachine);
  const mermaid = toMermaid(description);
  // The states the API, transitions and events name; the others are how the chart is built.
  const json = { ...description, public_states: [...STACK_STATES] };
  route(router, 'GET /api/v1/machine', (ctx) => {
    const { format } = formatQuery.parse(ctx.query);
    if (format === 'mermaid') {
      ctx.type = 'text/plain';
      ctx.body = mermaid;
    } else {
      ctx.body = json;
    }
  });
  return router;
}
