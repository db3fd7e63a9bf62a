// One service of the compose file → ServiceModel. Every key is either read here, an `x-`
// extension, or an error naming it: nothing is silently dropped.
import type { ServiceModel } from '../model.ts';
import { normaliseDeploy, readReplicas } from './deploy.ts';
import { normaliseDependsOn } from './depends-on.ts';
import { readEnvFileList, readEnvironmentEntries, resolveEnvironment, type EnvironmentContext } from './environment.ts';
import { normaliseHealthcheck } from './healthcheck.ts';
import { readCommand, readDevices, readExtraHosts, readLogging, readPullPolicy, readRestart, readUlimits } from './host.ts';
import { normaliseExpose, normalisePorts } from './ports.ts';
import { normaliseServiceNetworks } from './service-networks.ts';
import {
  asBool, asBytes, asDurationNs, asInt, asMapping, asNumber, asString, asStringList, asStringMap, checkKeys, fail,
  type FieldContext, type Mapping,
} from './values.ts';
import { normaliseVolumes } from './volumes.ts';
import { normaliseFileReferences } from './secrets.ts';

export interface ServiceContext extends EnvironmentContext {
  warn: (message: string) => void;
}

type Reader = (value: unknown, ctx: FieldContext) => unknown;

const STRING_FIELDS = ['container_name', 'hostname', 'domainname', 'user', 'working_dir', 'stop_signal', 'ipc', 'pid', 'cgroup', 'runtime', 'platform', 'userns_mode', 'cpuset', 'mac_address', 'network_mode'];
const BOOL_FIELDS = ['privileged', 'init', 'read_only', 'tty', 'stdin_open', 'oom_kill_disable'];
const LIST_FIELDS = ['cap_add', 'cap_drop', 'dns', 'dns_search', 'dns_opt', 'security_opt', 'tmpfs', 'profiles', 'group_add', 'volumes_from', 'links'];
const MAP_FIELDS = ['labels', 'sysctls', 'annotations'];
const BYTES_FIELDS = ['mem_limit', 'mem_reservation', 'memswap_limit', 'shm_size'];
const INT_FIELDS = ['pids_limit', 'oom_score_adj', 'cpu_shares', 'mem_swappiness'];

const READERS: Record<string, Reader> = {
  ...Object.fromEntries(STRING_FIELDS.map((key) => [key, asString])),
  ...Object.fromEntries(BOOL_FIELDS.map((key) => [key, asBool])),
  ...Object.fromEntries(LIST_FIELDS.map((key) => [key, asStringList])),
  ...Object.fromEntries(MAP_FIELDS.map((key) => [key, asStringMap])),
  ...Object.fromEntries(BYTES_FIELDS.map((key) => [key, asBytes])),
  ...Object.fromEntries(INT_FIELDS.map((key) => [key, asInt])),
  image: asString,
  cpus: asNumber,
  scale: readReplicas,
  stop_grace_period: asDurationNs,
  command: readCommand,
  entrypoint: readCommand,
  ports: normalisePorts,
  expose: normaliseExpose,
  networks: normaliseServiceNetworks,
  depends_on: normaliseDependsOn,
  healthcheck: normaliseHealthcheck,
  restart: readRestart,
  pull_policy: readPullPolicy,
  extra_hosts: readExtraHosts,
  ulimits: readUlimits,
  logging: readLogging,
  devices: readDevices,
};

/** Keys read with the service context rather than a plain reader. */
const CONTEXT_FIELDS = new Set(['environment', 'env_file', 'volumes', 'deploy', 'build', 'secrets', 'configs']);
const KNOWN_KEYS = new Set([...Object.keys(READERS), ...CONTEXT_FIELDS]);

export function normaliseService(name: string, value: unknown, ctx: ServiceContext): ServiceModel {
  const serviceCtx: ServiceContext = { ...ctx, service: name, field: `services.${name}` };
  const raw = asMapping(value, serviceCtx);
  checkKeys(raw, KNOWN_KEYS, serviceCtx);
  const model = readPlainFields(raw, serviceCtx);
  readContextFields(model, raw, serviceCtx);
  checkServiceRules(model, serviceCtx);
  return model;
}

function fieldCtx(ctx: ServiceContext, key: string): ServiceContext {
  return { ...ctx, field: key };
}

/** The small context plain readers get (built once per field of every service). */
function plainCtx(ctx: ServiceContext, key: string): FieldContext {
  return { file: ctx.file, service: ctx.service, field: key, warn: ctx.warn };
}

function readPlainFields(raw: Mapping, ctx: ServiceContext): ServiceModel {
  const model: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const reader = READERS[key];
    // compose-go treats `key: null` as "not set" for every service field.
    if (reader === undefined || value === null || value === undefined) continue;
    model[key] = reader(value, plainCtx(ctx, key));
  }
  if (typeof model.image !== 'string' || model.image === '') {
    fail(fieldCtx(ctx, 'image'), `service "${ctx.service}" has no image (Accelero deploys images; it does not build them)`);
  }
  return model as unknown as ServiceModel;
}

function readContextFields(model: ServiceModel, raw: Mapping, ctx: ServiceContext): void {
  if (raw.build !== undefined) ctx.warn(`service "${ctx.service}": build is ignored; the image ${model.image} is pulled`);
  if (raw.volumes !== undefined && raw.volumes !== null) model.volumes = normaliseVolumes(raw.volumes, fieldCtx(ctx, 'volumes'));
  if (raw.deploy !== undefined && raw.deploy !== null) model.deploy = normaliseDeploy(raw.deploy, fieldCtx(ctx, 'deploy'));
  for (const kind of ['secrets', 'configs'] as const) {
    if (raw[kind] !== undefined && raw[kind] !== null) model[kind] = normaliseFileReferences(kind, raw[kind], fieldCtx(ctx, kind));
  }
  const declared = raw.environment === undefined || raw.environment === null ? {} : readEnvironmentEntries(raw.environment, fieldCtx(ctx, 'environment'));
  const envFiles = raw.env_file === undefined || raw.env_file === null ? [] : readEnvFileList(raw.env_file, fieldCtx(ctx, 'env_file'));
  if (envFiles.length > 0) model.env_file = envFiles;
  model.environment = resolveEnvironment(declared, envFiles, fieldCtx(ctx, 'env_file'));
}

/** Cross-field rules compose-go enforces. */
function checkServiceRules(model: ServiceModel, ctx: ServiceContext): void {
  const replicas = model.deploy?.replicas;
  if (model.scale !== undefined && replicas !== undefined && model.scale !== replicas) {
    fail(fieldCtx(ctx, 'scale'), `scale (${model.scale}) and deploy.replicas (${replicas}) differ`);
  }
  if (model.container_name !== undefined && (model.scale ?? replicas ?? 1) > 1) {
    fail(fieldCtx(ctx, 'container_name'), `container_name "${model.container_name}" cannot be used with more than one replica`);
  }
  if (model.network_mode !== undefined && model.networks !== undefined) {
    fail(fieldCtx(ctx, 'network_mode'), 'network_mode and networks cannot be combined');
  }
  checkLegacyResource(model.cpus, model.deploy?.resources?.limits?.cpus, 'cpus', ctx);
  checkLegacyResource(model.mem_limit, model.deploy?.resources?.limits?.memory, 'mem_limit', ctx);
  checkLegacyResource(model.pids_limit, model.deploy?.resources?.limits?.pids, 'pids_limit', ctx);
  checkLegacyResource(model.mem_reservation, model.deploy?.resources?.reservations?.memory, 'mem_reservation', ctx);
}

function checkLegacyResource(legacy: number | undefined, deploy: number | undefined, key: string, ctx: ServiceContext): void {
  if (legacy !== undefined && deploy !== undefined && legacy !== deploy) {
    fail(fieldCtx(ctx, key), `${key} (${legacy}) conflicts with deploy.resources (${deploy})`);
  }
}
