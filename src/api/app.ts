import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { requireApiKey, type ApiKeyVerifier } from './auth.ts';
import { errorHandler } from './error-handler.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { healthRoutes, type ReadinessCheck } from './routes/health.ts';
import { stackRoutes, type StackRouteDeps } from './routes/stacks.ts';
import type { DeploymentStore } from '../../persistence/deployment-store.ts';

export interface ApiDeps extends StackRouteDeps {
  deployments: DeploymentStore;
  keys: ApiKeyVerifier;
  readiness: ReadinessCheck;
  logger: Logger;
}

/** Request bodies are capped at 1 MiB (API.md); beyond that the answer is 413. */
export const BODY_LIMIT = '1mb';

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.state.requestId = ctx.get('x-request-id') || randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    const started = performance.now();
    await next();
    deps.logger.debug({ request_id: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use(errorHandler(deps.logger));
  app.use(requireApiKey(deps.keys));
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: BODY_LIMIT, encoding: 'utf-8' }));
  for (const router of [healthRoutes(deps.readiness), stackRoutes(deps), deploymentRoutes(deps)]) {
    app.use(router.routes()).use(router.allowedMethods());
  }
  return app;
}
