// The printable model, shaped like `docker compose config` output: service keys sorted, durations as
// Go duration strings (`1m30s`), sizes in bytes, environment as a map of final strings.
import { formatDuration } from './durations.ts';
import type { ServiceModel } from './model.ts';
import type { ComposeNetwork, ComposeProject, ComposeVolume } from './types.ts';

type Printable = Record<string, unknown>;

const HEALTH_DURATIONS = ['interval', 'timeout', 'start_period', 'start_interval'] as const;

export function printableService(model: ServiceModel): Printable {
  // sortKeysDeep copies every object and list, so a shallow copy is enough to edit the top level.
  const copy = { ...model } as unknown as Printable;
  if (Object.keys(model.environment).length === 0) delete copy.environment;
  if (model.stop_grace_period !== undefined) copy.stop_grace_period = formatDuration(model.stop_grace_period);
  if (model.healthcheck !== undefined) copy.healthcheck = formatDurations(copy.healthcheck as Printable, HEALTH_DURATIONS);
  if (model.deploy !== undefined) copy.deploy = printableDeploy(copy.deploy as Printable);
  return sortKeysDeep(copy) as Printable;
}

function printableDeploy(deploy: Printable): Printable {
  const result = { ...deploy };
  for (const key of ['update_config', 'rollback_config'] as const) {
    if (result[key] !== undefined) result[key] = formatDurations(result[key] as Printable, ['delay', 'monitor']);
  }
  if (result.restart_policy !== undefined) result.restart_policy = formatDurations(result.restart_policy as Printable, ['delay', 'window']);
  return result;
}

function formatDurations(record: Printable, keys: readonly string[]): Printable {
  const result = { ...record };
  for (const key of keys) if (typeof result[key] === 'number') result[key] = formatDuration(result[key] as number);
  return result;
}

/** Keys sorted at every depth, as `docker compose config` prints Go maps; list order is kept. */
function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Printable;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortKeysDeep(record[key])]));
}

/** `accelero config` output for the whole project. */
export function printableProject(project: ComposeProject): Printable {
  const output: Printable = { name: project.name, services: {} };
  for (const name of Object.keys(project.services).sort()) (output.services as Printable)[name] = project.services[name].model;
  if (Object.keys(project.networks).length > 0) output.networks = mapValues(project.networks, printableNetwork);
  if (Object.keys(project.volumes).length > 0) output.volumes = mapValues(project.volumes, printableVolume);
  return output;
}

function mapValues<T>(record: Record<string, T>, print: (value: T) => Printable): Printable {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, print(record[key])]));
}

function printableNetwork(network: ComposeNetwork): Printable {
  const output: Printable = { name: network.name };
  if (network.external) return { ...output, external: true };
  if (network.driver !== undefined) output.driver = network.driver;
  if (Object.keys(network.driverOpts).length > 0) output.driver_opts = network.driverOpts;
  if (network.ipam !== undefined) output.ipam = composeIpam(network.ipam);
  if (network.internal) output.internal = true;
  if (network.attachable) output.attachable = true;
  if (network.enableIpv4 !== undefined) output.enable_ipv4 = network.enableIpv4;
  if (network.enableIpv6) output.enable_ipv6 = true;
  if (Object.keys(network.labels).length > 0) output.labels = network.labels;
  return output;
}

function printableVolume(volume: ComposeVolume): Printable {
  const output: Printable = { name: volume.name };
  if (volume.external) return { ...output, external: true };
  if (volume.driver !== undefined) output.driver = volume.driver;
  if (Object.keys(volume.driverOpts).length > 0) output.driver_opts = volume.driverOpts;
  if (Object.keys(volume.labels).length > 0) output.labels = volume.labels;
  return output;
}

const IPAM_KEYS: Record<string, string> = {
  Driver: 'driver',
  Config: 'config',
  Options: 'options',
  Subnet: 'subnet',
  IPRange: 'ip_range',
  Gateway: 'gateway',
  AuxiliaryAddresses: 'aux_addresses',
};

/** ComposeNetwork.ipam is in Engine shape for src/docker; print it back in compose spelling. */
function composeIpam(ipam: Record<string, unknown>): Printable {
  const output: Printable = {};
  for (const [key, value] of Object.entries(ipam)) {
    output[IPAM_KEYS[key] ?? key] = Array.isArray(value) ? value.map((pool) => composeIpam(pool as Record<string, unknown>)) : value;
  }
  return output;
}
