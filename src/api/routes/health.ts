import Router from '@koa/router';
import { route } from './route.ts';

export interface ReadinessCheck {
  /** Returns 'ok' or a one-line reason. */
  database(): Promise<string>;
  docker(): Promise<string>;
  draining(): boolean;
}

export function healthRoutes(readiness: ReadinessCheck): Router {
  const router = new Router();
  const ok = { status: 'ok' };
  route(router, 'GET /health', (ctx) => { ctx.body = ok; });
  route(router, 'GET /healthz', (ctx) => { ctx.body = ok; });
  route(router, 'GET /readyz', async (ctx) => {
    const [database, docker] = await Promise.all([readiness.database(), readiness.docker()]);
    const ready = database === 'ok' && docker === 'ok' && !readiness.draining();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ok' : readiness.draining() ? 'draining' : 'not_ready', checks: { database, docker } };
  });
  return router;
}
