import Router from '@koa/router';

export interface ReadinessCheck {
  /** Returns 'ok' or a one-line reason. */
  database(): Promise<string>;
  docker(): Promise<string>;
  draining(): boolean;
}

export function healthRoutes(readiness: ReadinessCheck): Router {
  const router = new Router();
  const ok = { status: 'ok' };
  router.get('/health', (ctx) => { ctx.body = ok; });
  router.get('/healthz', (ctx) => { ctx.body = ok; });
  router.get('/readyz', async (ctx) => {
    const [database, docker] = await Promise.all([readiness.database(), readiness.docker()]);
    const ready = database === 'ok' && docker === 'ok' && !readiness.draining();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ok' : readiness.draining() ? 'draining' : 'not_ready', checks: { database, docker } };
  });
  return router;
}
