// ServiceModel → `POST /containers/create` body (docs/compose.md (b)): Config, HostConfig and
// NetworkingConfig with Engine units (nanoseconds, bytes, NanoCpus). Only fields the service sets
// are written, so the config hash changes only when the user's configuration does.
import type { HealthcheckModel, MountModel, ServiceModel, ServiceNetworkModel } from './model.ts';
import { mountSettings } from './engine-mounts.ts';
import { portSettings } from './engine-ports.ts';
import { hostSettings } from './engine-host.ts';
import { resolveNamespaceMode, type ContainerOf } from './engine-service-refs.ts';
import type { EngineCreateOptions } from './types.ts';

export interface EngineNaming {
  serviceName: string;
  /** Docker name of a compose network key. */
  networkName: (key: string) => string;
  /** Docker name of a compose volume key. */
  volumeName: (key: string) => string;
  /** The networks the service joins (after the implicit `default`), empty with network_mode. */
  networks: Record<string, ServiceNetworkModel | null>;
  /** The key of the primary network (HostConfig.NetworkMode), when there are networks. */
  primaryNetwork?: string;
  /** Container name of replica 1 of a service, for `service:x` references. */
  containerOf: ContainerOf;
  /** Mounts that do not come from `volumes:` (file-based secrets and configs). */
  extraMounts?: MountModel[];
}

export function buildCreateOptions(model: ServiceModel, naming: EngineNaming): EngineCreateOptions {
  const ports = portSettings(model);
  const Config = dropUndefined({
    Image: model.image,
    Cmd: model.command ?? undefined,
    Entrypoint: model.entrypoint ?? undefined,
    Env: environmentList(model.environment),
    Labels: sortedRecord(model.labels ?? {}),
    ExposedPorts: ports.ExposedPorts,
    Healthcheck: model.healthcheck === undefined ? undefined : engineHealthcheck(model.healthcheck),
    Hostname: model.hostname,
    Domainname: model.domainname,
    User: model.user,
    WorkingDir: model.working_dir,
    StopSignal: model.stop_signal,
    StopTimeout: model.stop_grace_period === undefined ? undefined : Math.trunc(model.stop_grace_period / 1e9),
    Tty: model.tty,
    OpenStdin: model.stdin_open,
  }) as EngineCreateOptions['Config'];
  const HostConfig = dropUndefined({
    ...hostSettings(model, naming.containerOf),
    ...mountSettings(model, naming.volumeName, naming.extraMounts ?? []),
    PortBindings: ports.PortBindings,
    NetworkMode: networkMode(model, naming),
  });
  return { Config, HostConfig, NetworkingConfig: { EndpointsConfig: endpoints(model, naming) } };
}

/** `K=v`, or a bare `K` for an unresolved key (the Engine then drops K from the image env). Sorted by key. */
function environmentList(environment: Record<string, string | null>): string[] | undefined {
  const keys = Object.keys(environment).sort();
  if (keys.length === 0) return undefined;
  return keys.map((key) => (environment[key] === null ? key : `${key}=${environment[key]}`));
}

function engineHealthcheck(healthcheck: HealthcheckModel): Record<string, unknown> {
  if (healthcheck.disable) return { Test: ['NONE'] };
  return dropUndefined({
    Test: healthcheck.test,
    Interval: healthcheck.interval,
    Timeout: healthcheck.timeout,
    Retries: healthcheck.retries,
    StartPeriod: healthcheck.start_period,
    StartInterval: healthcheck.start_interval,
  });
}

function networkMode(model: ServiceModel, naming: EngineNaming): string | undefined {
  if (model.network_mode !== undefined) return resolveNamespaceMode(model.network_mode, naming.containerOf);
  if (naming.primaryNetwork === undefined) return 'none';
  return naming.networkName(naming.primaryNetwork);
}

/** A service-level `mac_address` belongs to the primary network's endpoint (API ≥ 1.44). */
function endpoints(model: ServiceModel, naming: EngineNaming): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const [key, attachment] of Object.entries(naming.networks)) {
    const macAddress = key === naming.primaryNetwork ? model.mac_address : undefined;
    result[naming.networkName(key)] = endpoint(naming.serviceName, { mac_address: macAddress, ...attachment });
  }
  return result;
}

function endpoint(serviceName: string, attachment: ServiceNetworkModel): Record<string, unknown> {
  const ipam = dropUndefined({
    IPv4Address: attachment.ipv4_address,
    IPv6Address: attachment.ipv6_address,
    LinkLocalIPs: attachment.link_local_ips,
  });
  return dropUndefined({
    Aliases: [serviceName, ...(attachment.aliases ?? [])],
    IPAMConfig: Object.keys(ipam).length > 0 ? ipam : undefined,
    MacAddress: attachment.mac_address,
    DriverOpts: attachment.driver_opts,
    GwPriority: attachment.gw_priority,
  });
}

export function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) result[key] = value;
  return result;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
