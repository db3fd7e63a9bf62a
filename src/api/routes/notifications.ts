import Router from '@koa/router';
import type { NotificationChannels } from '../../notifications/channels.ts';
import { createChannelSchema } from '../../notifications/channel-schema.ts';
import { limitQuery } from './query-schemas.ts';
import { route } from './route.ts';

// /api/v1/notifications (admin): channels that deployment ends, drift and failed stacks are
// sent to, their deliveries, and a test send. Answers never carry a channel's credentials.

export function notificationRoutes(deps: { notificationChannels: NotificationChannels }): Router {
  const router = new Router();
  const channels = deps.notificationChannels;

  route(router, 'POST /api/v1/notifications', async (ctx) => {
    const channel = await channels.create(createChannelSchema.parse(ctx.request.body ?? {}));
    ctx.state.auditTarget = channel.id;
    ctx.status = 201;
    ctx.body = channel;
  });

  route(router, 'GET /api/v1/notifications', async (ctx) => {
    ctx.body = await channels.list();
  });

  route(router, 'GET /api/v1/notifications/{id}', async (ctx) => {
    ctx.body = await channels.get(ctx.params.id!);
  });

  route(router, 'DELETE /api/v1/notifications/{id}', async (ctx) => {
    await channels.delete(ctx.params.id!);
    ctx.body = { status: 'deleted' };
  });

  route(router, 'GET /api/v1/notifications/{id}/deliveries', async (ctx) => {
    const { limit } = limitQuery.parse(ctx.query);
    ctx.body = await channels.deliveries(ctx.params.id!, limit);
  });

  route(router, 'POST /api/v1/notifications/{id}/test', async (ctx) => {
    ctx.status = 202;
    ctx.body = await channels.test(ctx.params.id!);
  });

  return router;
}
