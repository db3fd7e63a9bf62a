import Router from '@koa/router';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { EventBus } from '../../../actors/event-bus.ts';
import type { StackStore } from '../../../persistence/stack-store.ts';
import { NotFoundError } from '../../errors.ts';

export const eventsQuery = z.object({ stack: z.string().min(1).max(255).optional() }).strict();
const HEARTBEAT_MS = 15_000;

/** Server-Sent Events: transitions, deployment progress and drift, optionally of one stack. */
export function eventRoutes(deps: { bus: EventBus; stacks: StackStore }): Router {
  const router = new Router();
  router.get('/api/v1/events', async (ctx) => {
    const { stack: wanted } = eventsQuery.parse(ctx.query);
    const stack = wanted ? await deps.stacks.find(wanted) : null;
    if (wanted && !stack) throw new NotFoundError(`stack "${wanted}" not found`);
    const stream = new PassThrough();
    const write = (kind: string, data: unknown) => stream.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
    const unsubscribe = deps.bus.subscribe((event) => {
      if (!stack || event.stack_id === stack.id) write(event.kind, event);
    });
    const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      stream.end();
    };
    ctx.req.once('close', close);
    ctx.set({ 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    ctx.type = 'text/event-stream';
    ctx.status = 200;
    ctx.body = stream;
    write('hello', { stack: stack?.name ?? null, at: new Date().toISOString() });
  });
  return router;
}
