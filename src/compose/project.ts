// A parsed, interpolated compose document → ComposeProject: profiles applied, services
// normalised, networks and volumes resolved to Docker names, references checked.
import type { DependencyModel, ServiceModel, ServiceNetworkModel } from './model.ts';
import { normaliseService, type ServiceContext } from './normalise/service.ts';
import { primaryNetworkKey } from './normalise/service-networks.ts';
import { defaultNetwork, normaliseNetwork, normaliseVolume, type ResourceContext } from './normalise/resources.ts';
import { asMapping, checkKeys, fail, type Mapping } from './normalise/values.ts';
import { buildComposeService } from './service-facts.ts';
import { declaredFileResources, fileMounts, type FileResource } from './normalise/secrets.ts';
import { referencedServices } from './engine-service-refs.ts';
import { checkNoDependencyCycles } from './dependency-cycles.ts';
import type { ComposeNetwork, ComposeProject, ComposeService, ComposeVolume } from './types.ts';

const TOP_LEVEL_KEYS = new Set(['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs']);

export interface ProjectInput extends ServiceContext {
  projectName: string;
  /** Absolute path of the compose file (`file` is the path as the user wrote it, for messages). */
  composeFile: string;
  /** Active profiles; `*` activates all. */
  profiles: string[];
  warnings: string[];
}

/** Top-level resources services refer to. */
interface Declared {
  networks: Record<string, ComposeNetwork>;
  volumes: Record<string, ComposeVolume>;
  secrets: Record<string, FileResource>;
  configs: Record<string, FileResource>;
}

export function assembleProject(doc: Mapping, input: ProjectInput): ComposeProject {
  checkKeys(doc, TOP_LEVEL_KEYS, { file: input.file, field: 'top level' });
  if (doc.version !== undefined) input.warn(`${input.file}: the attribute "version" is obsolete and ignored`);
  const declared = readDeclared(doc, input);
  const rawServices = asMapping(doc.services, { file: input.file, field: 'services' });
  const enabled = Object.keys(rawServices).filter((name) => isEnabled(rawServices[name], input.profiles));
  const models = Object.fromEntries(enabled.map((name) => [name, normaliseService(name, rawServices[name], input)]));
  const services: Record<string, ComposeService> = {};
  for (const [name, model] of Object.entries(models)) {
    services[name] = assembleService(name, model, { declared, rawServices, models, input });
  }
  checkNoDependencyCycles(mapEntries(services, (_name, service) => (service as ComposeService).dependsOn), input.file);
  const { networks, volumes } = declared;
  return { name: input.projectName, workingDir: input.projectDir, composeFile: input.composeFile, services, networks, volumes, warnings: input.warnings };
}

function readDeclared(doc: Mapping, input: ProjectInput): Declared {
  const resourceCtx: ResourceContext = { file: input.file, field: '', projectName: input.projectName, warn: input.warn };
  return {
    networks: mapEntries(asMapping(doc.networks, { file: input.file, field: 'networks' }), (key, value) => normaliseNetwork(key, value, resourceCtx)),
    volumes: mapEntries(asMapping(doc.volumes, { file: input.file, field: 'volumes' }), (key, value) => normaliseVolume(key, value, resourceCtx)),
    secrets: declaredFileResources(doc, 'secrets', input),
    configs: declaredFileResources(doc, 'configs', input),
  };
}

interface ServiceScope {
  declared: Declared;
  rawServices: Mapping;
  /** The enabled services. */
  models: Record<string, ServiceModel>;
  input: ProjectInput;
}

function assembleService(name: string, model: ServiceModel, scope: ServiceScope): ComposeService {
  const { declared, input } = scope;
  const serviceNetworks = effectiveNetworks(model);
  // The implicit default network exists only when some service uses it (docs/compose.md (d)).
  if (serviceNetworks.default !== undefined && declared.networks.default === undefined) declared.networks.default = defaultNetwork(input.projectName);
  checkReferences(name, model, serviceNetworks, declared, input.file);
  const place = { file: input.file, service: name };
  return buildComposeService(model, resolveDependencies(name, model, scope), {
    serviceName: name,
    networks: serviceNetworks,
    primaryNetwork: primaryNetworkKey(serviceNetworks),
    containerOf: (service) => scope.models[service]?.container_name ?? `${input.projectName}-${service}-1`,
    networkName: (key) => declared.networks[key].name,
    volumeName: (key) => declared.volumes[key].name,
    extraMounts: [
      ...fileMounts('secrets', model.secrets ?? [], declared.secrets, { ...place, field: 'secrets' }),
      ...fileMounts('configs', model.configs ?? [], declared.configs, { ...place, field: 'configs' }),
    ],
  });
}

function mapEntries<T>(record: Mapping, build: (key: string, value: unknown) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, build(key, value)]));
}

/** A service without profiles is always enabled; otherwise one of its profiles must be active. */
function isEnabled(raw: unknown, active: string[]): boolean {
  const value = (raw as Mapping | null)?.profiles;
  const profiles = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  if (profiles.length === 0) return true;
  return active.includes('*') || profiles.some((profile) => active.includes(String(profile)));
}

/** No `networks:` (or an empty one) and no network_mode → the service joins `default`. */
function effectiveNetworks(model: ServiceModel): Record<string, ServiceNetworkModel | null> {
  if (model.network_mode !== undefined) return {};
  if (model.networks === undefined || Object.keys(model.networks).length === 0) return { default: null };
  return model.networks;
}

function checkReferences(service: string, model: ServiceModel, serviceNetworks: Record<string, unknown>, declared: Declared, file: string): void {
  for (const key of Object.keys(serviceNetworks)) {
    if (declared.networks[key] === undefined) fail({ file, service, field: 'networks' }, `service "${service}" refers to undefined network ${key}`);
  }
  for (const mount of model.volumes ?? []) {
    if (mount.type === 'volume' && mount.source !== undefined && declared.volumes[mount.source] === undefined) {
      fail({ file, service, field: 'volumes' }, `service "${service}" refers to undefined volume ${mount.source}`);
    }
  }
}

/**
 * depends_on plus the dependencies compose implies (`network_mode`/`ipc`/`pid: service:x`,
 * `volumes_from: x`, `links`). A dependency on a service disabled by profiles is an error unless `required: false`.
 */
function resolveDependencies(service: string, model: ServiceModel, scope: ServiceScope): Record<string, DependencyModel> {
  const { rawServices, models: enabled, input } = scope;
  const dependencies: Record<string, DependencyModel> = { ...impliedDependencies(model), ...model.depends_on };
  const ctx = { file: input.file, service, field: 'depends_on' };
  for (const [name, dependency] of Object.entries(dependencies)) {
    if (name === service) fail(ctx, `service "${service}" depends on itself`);
    if (rawServices[name] === undefined) fail(ctx, `service "${service}" depends on undefined service "${name}"`);
    if (enabled[name] !== undefined) continue;
    if (dependency.required) fail(ctx, `service "${service}" depends on "${name}", which no active profile enables`);
    input.warn(`service "${service}": optional dependency "${name}" is not enabled and is ignored`);
    delete dependencies[name];
  }
  return dependencies;
}

function impliedDependencies(model: ServiceModel): Record<string, DependencyModel> {
  const names = referencedServices(model);
  return Object.fromEntries(names.map((name) => [name, { condition: 'service_started', required: true, restart: false }]));
}
