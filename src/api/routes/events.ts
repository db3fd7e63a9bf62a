import Router from '@koa/router';
import type { Context } from 'koa';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { AcceleroEvent, EventBus } from '../../../actors/event-bus.ts';
import type { StackStore } from '../../../persistence/stack-store.ts';
import { NotFoundError } from '../../errors.ts';
import { callerOf } from '../auth/authenticate.ts';
import { canAccessStack } from '../auth/roles.ts';
import { ForbiddenError } from '../errors.ts';
import { route } from './route.ts';

export const eventsQuery = z.object({ stack: z.string().min(1).max(255).optional() }).strict();
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events: transitions, deployment progress and drift, of one stack or of every
 * stack the key may see. The subscription and the heartbeat end with the connection, whenever
 * it closes: before the handler got to subscribe included.
 */
export function eventRoutes(deps: { bus: EventBus; stacks: StackStore }): Router {
  const router = new Router();
  route(router, 'GET /api/v1/events', async (ctx) => {
    const { stack: wanted } = eventsQuery.parse(ctx.query);
    const stack = wanted ? await deps.stacks.find(wanted) : null;
    if (wanted && !stack) throw new NotFoundError(`stack "${wanted}" not found`);
    if (stack && !canAccessStack(callerOf(ctx), stack)) throw new ForbiddenError(`this key is not granted stack "${wanted!.slice(0, 100)}"`);
    const caller = callerOf(ctx);
    const wants = (event: AcceleroEvent) => (stack ? event.stack_id === stack.id : canAccessStack(caller, { id: event.stack_id, name: event.stack_name }));
    openStream(ctx, deps.bus, wants, { stack: stack?.name ?? null, at: new Date().toISOString() });
  });
  return router;
}

function openStream(ctx: Context, bus: EventBus, wants: (event: AcceleroEvent) => boolean, hello: object): void {
  const stream = new PassThrough();
  const write = (kind: string, data: unknown) => stream.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
  const unsubscribe = bus.subscribe((event) => {
    if (wants(event)) write(event.kind, event);
  });
  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    stream.end();
  };
  ctx.res.once('close', close);
  stream.once('error', close);
  stream.once('close', close);
  // The client may have gone while the stack was looked up: 'close' was emitted already.
  if (ctx.req.destroyed || ctx.res.destroyed || ctx.req.socket.destroyed) close();
  ctx.set({ 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.type = 'text/event-stream';
  ctx.status = 200;
  ctx.body = stream;
  write('hello', hello);
}
