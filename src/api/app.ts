import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { requireApiKey, type ApiKeyVerifier } from './auth.ts';
import { errorHandler } from './error-handler.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { healthRoutes, type ReadinessCheck } from './routes/health.ts';
import { stackRoutes, type StackRouteDeps } from './routes/stacks.ts';
import { driftRoutes } from './routes/drift.ts';
import { eventRoutes } from './routes/events.ts';
import { machineRoutes } from './routes/machine.ts';
import { rollbackRoutes } from './routes/rollback.ts';
import type { DeploymentStore } from '../../persistence/deployment-store.ts';
import type { EventBus } from '../../actors/event-bus.ts';
import type { StackInspector } from '../../actors/stack-inspector.ts';

export interface ApiDeps extends StackRouteDeps {
  deployments: DeploymentStore;
  inspector: StackInspector;
  bus: EventBus;
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
  const routers = [
    healthRoutes(deps.readiness), stackRoutes(deps), deploymentRoutes(deps), driftRoutes(deps), rollbackRoutes(deps),
    machineRoutes(), eventRoutes(deps),
  ];
  for (const router of routers) {
    app.use(router.routes()).use(router.allowedMethods());
  }
  return app;
}
