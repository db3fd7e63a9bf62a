import Router from '@koa/router';
import { route } from './route.ts';
import { metricsRegistry } from '../../metrics.ts';

// GET /metrics: Prometheus text exposition of every accelero_* metric.

export function metricsRoutes(): Router {
  const router = new Router();
  route(router, 'GET /metrics', async (ctx) => {
    ctx.type = metricsRegistry.contentType;
    ctx.body = await metricsRegistry.metrics();
  });
  return router;
}
