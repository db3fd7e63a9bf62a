// `deploy:` as a single-host deployer reads it: replicas, resources, update_config (our rollout
// settings), restart_policy. Swarm-only keys that compose ignores are accepted with a warning, so a
// file that works with `docker compose` keeps working.
import type { DeployModel, ResourcesModel, RestartPolicyModel, UpdateConfigModel } from '../model.ts';
import {
  asBytes, asDurationNs, asInt, asList, asMapping, asNumber, asString, asStringMap, checkKeys, child, fail, readFields,
  type FieldContext,
} from './values.ts';

export interface DeployContext extends FieldContext {
  warn: (message: string) => void;
}

const DEPLOY_KEYS = new Set(['mode', 'replicas', 'resources', 'update_config', 'rollback_config', 'restart_policy', 'labels', 'placement', 'endpoint_mode']);
const SWARM_ONLY = ['placement', 'endpoint_mode', 'rollback_config'];

export function normaliseDeploy(value: unknown, ctx: DeployContext): DeployModel {
  const config = asMapping(value, ctx);
  checkKeys(config, DEPLOY_KEYS, ctx);
  const deploy: DeployModel = {};
  if (config.mode !== undefined) deploy.mode = readMode(config.mode, child(ctx, 'mode'));
  if (config.replicas !== undefined && config.replicas !== null) deploy.replicas = readReplicas(config.replicas, child(ctx, 'replicas'));
  if (config.resources !== undefined) deploy.resources = readResources(config.resources, child(ctx, 'resources'));
  if (config.update_config !== undefined) deploy.update_config = readUpdateConfig(config.update_config, child(ctx, 'update_config'));
  if (config.restart_policy !== undefined) deploy.restart_policy = readRestartPolicy(config.restart_policy, child(ctx, 'restart_policy'));
  if (config.labels !== undefined) deploy.labels = asStringMap(config.labels, child(ctx, 'labels'));
  for (const key of SWARM_ONLY) {
    if (config[key] !== undefined) ctx.warn(`service "${ctx.service}": deploy.${key} only applies to Swarm and is ignored`);
  }
  return deploy;
}

function readMode(value: unknown, ctx: FieldContext): string {
  const mode = asString(value, ctx);
  if (mode !== 'replicated') fail(ctx, `deploy.mode "${mode}" is not supported on a single host (use replicated)`);
  return mode;
}

export function readReplicas(value: unknown, ctx: FieldContext): number {
  const replicas = asInt(value, ctx);
  if (replicas < 0) fail(ctx, `${ctx.field} must not be negative`);
  return replicas;
}

function readResources(value: unknown, ctx: FieldContext): ResourcesModel {
  const config = asMapping(value, ctx);
  checkKeys(config, new Set(['limits', 'reservations']), ctx);
  const resources: ResourcesModel = {};
  if (config.limits !== undefined) {
    const limits = asMapping(config.limits, child(ctx, 'limits'));
    checkKeys(limits, new Set(['cpus', 'memory', 'pids']), child(ctx, 'limits'));
    resources.limits = readCpusMemory(limits, child(ctx, 'limits'));
    if (limits.pids !== undefined) resources.limits.pids = asInt(limits.pids, child(ctx, 'limits.pids'));
  }
  if (config.reservations !== undefined) {
    const reservations = asMapping(config.reservations, child(ctx, 'reservations'));
    checkKeys(reservations, new Set(['cpus', 'memory', 'devices', 'generic_resources']), child(ctx, 'reservations'));
    resources.reservations = readCpusMemory(reservations, child(ctx, 'reservations'));
    if (reservations.devices !== undefined) {
      resources.reservations.devices = asList(reservations.devices, child(ctx, 'reservations.devices')).map((device, index) =>
        asMapping(device, child(ctx, `reservations.devices[${index}]`)),
      );
    }
  }
  return resources;
}

function readCpusMemory(config: Record<string, unknown>, ctx: FieldContext): { cpus?: number; memory?: number } {
  const result: { cpus?: number; memory?: number } = {};
  if (config.cpus !== undefined) result.cpus = asNumber(config.cpus, child(ctx, 'cpus'));
  if (config.memory !== undefined) result.memory = asBytes(config.memory, child(ctx, 'memory'));
  return result;
}

const choice = (allowed: readonly string[]) => (value: unknown, ctx: FieldContext) => oneOf(value, allowed, ctx);

function readUpdateConfig(value: unknown, ctx: FieldContext): UpdateConfigModel {
  return readFields<UpdateConfigModel>(value, ctx, {
    parallelism: asInt, delay: asDurationNs, monitor: asDurationNs, max_failure_ratio: asNumber,
    failure_action: choice(['rollback', 'pause', 'continue']), order: choice(['start-first', 'stop-first']),
  });
}

function readRestartPolicy(value: unknown, ctx: FieldContext): RestartPolicyModel {
  return readFields<RestartPolicyModel>(value, ctx, {
    condition: choice(['none', 'no', 'on-failure', 'any', 'always', 'unless-stopped']),
    delay: asDurationNs, max_attempts: asInt, window: asDurationNs,
  });
}

export function oneOf(value: unknown, allowed: readonly string[], ctx: FieldContext): string {
  const text = asString(value, ctx);
  if (!allowed.includes(text)) fail(ctx, `${ctx.field} must be one of ${allowed.join(', ')}, got "${text}"`);
  return text;
}
