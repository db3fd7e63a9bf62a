// A normalised service plus its resolved networks → the ComposeService seam: create options,
// config hash and the rollout facts src/docker plans with.
import { computeConfigHash } from './config-hash.ts';
import { buildCreateOptions, type EngineNaming } from './engine-options.ts';
import { restartPolicy } from './engine-host.ts';
import { publishesFixedHostPort } from './engine-ports.ts';
import type { DependencyModel, ServiceModel } from './model.ts';
import { healthcheckIsActive } from './normalise/healthcheck.ts';
import { printableService } from './print-model.ts';
import type { ComposeService, UpdateConfig } from './types.ts';

/** docs/architecture.md, Rollout: no healthcheck → stable after running 5 s without a restart. */
const DEFAULT_MONITOR_MS = 5000;
/** compose default stop_grace_period. */
const DEFAULT_STOP_TIMEOUT_SECONDS = 10;

export function buildComposeService(model: ServiceModel, dependsOn: Record<string, DependencyModel>, naming: EngineNaming): ComposeService {
  const create = buildCreateOptions(model, naming);
  const service: ComposeService = {
    name: naming.serviceName,
    image: model.image,
    replicas: model.deploy?.replicas ?? model.scale ?? 1,
    pullPolicy: model.pull_policy ?? 'missing',
    restart: restartPolicy(model).Name,
    dependsOn,
    updateConfig: updateConfig(model),
    hasHealthcheck: healthcheckIsActive(model.healthcheck),
    publishesFixedHostPort: publishesFixedHostPort(model),
    stopTimeoutSeconds:
      model.stop_grace_period === undefined ? DEFAULT_STOP_TIMEOUT_SECONDS : Math.trunc(model.stop_grace_period / 1e9),
    networks: Object.keys(naming.networks),
    volumes: namedVolumeKeys(model),
    profiles: model.profiles ?? [],
    model: printableService(Object.keys(naming.networks).length > 0 ? { ...model, networks: naming.networks } : model),
    create,
    configHash: computeConfigHash(hashInput(create, model)),
  };
  if (model.container_name !== undefined) service.containerName = model.container_name;
  if (model.platform !== undefined) service.platform = model.platform;
  return service;
}

/**
 * The container name and platform are query parameters of the create call, not body fields, but
 * changing them needs a new container too, so they join the hashed options when set.
 */
function hashInput(create: ComposeService['create'], model: ServiceModel): ComposeService['create'] {
  if (model.container_name === undefined && model.platform === undefined) return create;
  return { ...create, Query: { name: model.container_name, platform: model.platform } } as ComposeService['create'];
}

function updateConfig(model: ServiceModel): UpdateConfig {
  const update = model.deploy?.update_config ?? {};
  const config: UpdateConfig = {
    failureAction: (update.failure_action ?? 'rollback') as UpdateConfig['failureAction'],
    monitorMs: update.monitor === undefined ? DEFAULT_MONITOR_MS : Math.round(update.monitor / 1e6),
    delayMs: update.delay === undefined ? 0 : Math.round(update.delay / 1e6),
    parallelism: update.parallelism ?? 1,
  };
  if (update.order !== undefined) config.order = update.order as UpdateConfig['order'];
  return config;
}

function namedVolumeKeys(model: ServiceModel): string[] {
  const keys = (model.volumes ?? []).filter((mount) => mount.type === 'volume' && mount.source !== undefined).map((mount) => mount.source as string);
  return [...new Set(keys)];
}
