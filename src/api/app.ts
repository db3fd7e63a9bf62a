import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import Koa, { type Context, type Next } from 'koa';
import type { ApiKeyStore } from '../../persistence/api-key-store.ts';
import type { AuditStore } from '../../persistence/audit-store.ts';
import type { DeploymentStore } from '../../persistence/deployment-store.ts';
import type { StackRecord } from '../../persistence/entities/records.ts';
import type { Logger } from '../logger.ts';
import { auditTrail } from './audit.ts';
import { ApiKeyAuthenticator } from './auth/api-keys.ts';
import { identifyCaller } from './auth/authenticate.ts';
import { FailedAuthLimiter, type FailedAuthLimits } from './auth/failed-auth-limiter.ts';
import { isReadMethod } from './auth/roles.ts';
import { errorHandler } from './error-handler.ts';
import { DrainingError } from './errors.ts';
import { requestContext } from './request-context.ts';
import { securityHeaders } from './security-headers.ts';
import { apiKeyRoutes } from './routes/apikeys.ts';
import { auditRoutes } from './routes/audit.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { healthRoutes, type ReadinessCheck } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { stackRoutes, type StackRouteDeps } from './routes/stacks.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { driftRoutes } from './routes/drift.ts';
import { containerRoutes } from './routes/containers.ts';
import { adminRoutes, type BackupSource } from './routes/admin.ts';
import { resourceRoutes } from './routes/resources.ts';
import type { ResourceLists } from '../docker/index.ts';
import type { ContainerOperations } from '../docker/container-operations.ts';
import { eventRoutes } from './routes/events.ts';
import { machineRoutes } from './routes/machine.ts';
import { rollbackRoutes } from './routes/rollback.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { supervisorRoutes } from './routes/supervisor.ts';
import { whoamiRoutes } from './routes/whoami.ts';
import { defaultDashboardDir } from './dashboard-assets.ts';
import { stackCredentialRoutes } from './routes/stack-credentials.ts';
import type { StackCredentialCommands } from '../../actors/stack-credentials.ts';
import type { StackApprovals } from '../../actors/stack-approvals.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { DeliveryLog, type DeliveryClaims } from './webhooks/replay.ts';
import type { EventBus } from '../../actors/event-bus.ts';
import type { StackInspector } from '../../actors/stack-inspector.ts';

import type { NotificationChannels } from '../notifications/channels.ts';
import { notificationRoutes } from './routes/notifications.ts';
export interface ApiDeps extends StackRouteDeps {
  credentials: StackCredentialCommands;
  /** Approve or reject the plans requires_approval stacks wait with. */
  approvals: StackApprovals;
  /** Where webhook delivery ids are kept (replay protection across restarts). */
  webhookDeliveries: DeliveryClaims;
  deployments: DeploymentStore;
  inspector: StackInspector;
  /** One container of a stack at a time: detail, logs, stats, restart (the Docker engine). */
  containers: ContainerOperations;
  /** Images, volumes and networks of stacks (the Docker engine). */
  resources: ResourceLists;
  /** The database, for POST /api/v1/admin/backup. */
  database: BackupSource;
  bus: EventBus;
  apiKeys: ApiKeyStore;
  audit: AuditStore;
  /** The bootstrap admin key (API_KEY or the generated one). */
  bootstrapKey: string;
  /** WEBHOOK_SECRET; undefined = webhooks without their own secret need no signature. */
  webhookSecret?: string;
  /** A stack's own webhook secret, decrypted; overrides webhookSecret for that stack. */
  stackWebhookSecret?(stack: StackRecord): string | undefined;
  readiness: ReadinessCheck;
  logger: Logger;
  /** The built dashboard (default: dist/dashboard of the package). */
  dashboardDir?: string;
  /** Notification channels and their deliveries (/api/v1/notifications). */
  notificationChannels: NotificationChannels;
  /** Wrong keys an address may send before it gets 429 (default: 10 a minute). */
  failedAuthLimits?: FailedAuthLimits;
}

/** Request bodies are capped at 1 MiB (docs/api.md); beyond that the answer is 413. */
export const BODY_LIMIT = '1mb';

/** Every router of the API, in mounting order; webhooks come first as they read raw bodies. */
export function apiRouters(deps: ApiDeps, authenticator: ApiKeyAuthenticator): { raw: Router[]; json: Router[] } {
  const webhooks = webhookRoutes({
    commands: deps.commands, stacks: deps.stacks, webhookSecret: deps.webhookSecret,
    stackWebhookSecret: deps.stackWebhookSecret ?? (() => undefined), deliveries: new DeliveryLog(deps.webhookDeliveries),
  });
  const routers: { raw: Router[]; json: Router[] } = {
    raw: [webhooks],
    json: [
      healthRoutes(deps.readiness), metricsRoutes(), openApiRoutes((): Router[] => [...routers.raw, ...routers.json]),
      stackRoutes(deps), deploymentRoutes(deps), driftRoutes(deps), containerRoutes(deps), rollbackRoutes(deps), approvalRoutes(deps), machineRoutes(), eventRoutes(deps), stackCredentialRoutes(deps),
      supervisorRoutes(deps), whoamiRoutes(), adminRoutes(deps), resourceRoutes(deps),
      apiKeyRoutes({ apiKeys: deps.apiKeys, authenticator }), notificationRoutes(deps), auditRoutes({ audit: deps.audit, stacks: deps.stacks }),
    ],
  };
  return routers;
}

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  const authenticator = new ApiKeyAuthenticator(deps.bootstrapKey, deps.apiKeys);
  const routers = apiRouters(deps, authenticator);
  app.use(securityHeaders());
  app.use(requestContext(deps.logger));
  app.use(auditTrail(deps.audit, deps.logger));
  app.use(errorHandler(deps.logger));
  app.use(refuseWorkWhileDraining(deps.readiness));
  // The dashboard's page and files are not API routes and need no key (the page asks for one
  // and sends it as X-API-KEY itself); they set their own Content-Security-Policy.
  app.use(dashboardRoutes(deps.dashboardDir ?? defaultDashboardDir()).routes());
  app.use(identifyCaller(authenticator, deps.stacks, new FailedAuthLimiter(deps.failedAuthLimits)));
  for (const router of routers.raw) app.use(router.routes()).use(router.allowedMethods());
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: BODY_LIMIT, encoding: 'utf-8' }));
  for (const router of routers.json) app.use(router.routes()).use(router.allowedMethods());
  return app;
}

/** During shutdown reads still answer (and /readyz says draining); new work is refused. */
function refuseWorkWhileDraining(readiness: ReadinessCheck) {
  return async (ctx: Context, next: Next) => {
    if (readiness.draining() && !isReadMethod(ctx.method)) throw new DrainingError();
    return next();
  };
}
