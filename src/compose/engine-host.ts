// HostConfig fields other than mounts, ports and networking: restart policy, resources (legacy
// keys and deploy.resources map to the same Engine fields), security, DNS, logging, ...
import type { ServiceModel } from './model.ts';
import { resolveLinks, resolveNamespaceMode, resolveVolumesFrom, type ContainerOf } from './engine-service-refs.ts';

export function hostSettings(model: ServiceModel, containerOf: ContainerOf): Record<string, unknown> {
  return {
    RestartPolicy: restartPolicy(model),
    ...resourceSettings(model),
    CapAdd: model.cap_add,
    CapDrop: model.cap_drop,
    Privileged: model.privileged,
    ExtraHosts: model.extra_hosts?.map((entry) => entry.replace('=', ':')),
    Dns: model.dns,
    DnsSearch: model.dns_search,
    DnsOptions: model.dns_opt,
    Ulimits: ulimits(model),
    LogConfig: model.logging === undefined ? undefined : { Type: model.logging.driver ?? '', Config: model.logging.options ?? {} },
    Init: model.init,
    ReadonlyRootfs: model.read_only,
    ShmSize: model.shm_size,
    Sysctls: model.sysctls,
    SecurityOpt: model.security_opt,
    Devices: model.devices?.map((device) => ({ PathOnHost: device.source, PathInContainer: device.target, CgroupPermissions: device.permissions })),
    IpcMode: resolveNamespaceMode(model.ipc, containerOf),
    PidMode: resolveNamespaceMode(model.pid, containerOf),
    CgroupnsMode: model.cgroup,
    GroupAdd: model.group_add,
    Runtime: model.runtime,
    UsernsMode: model.userns_mode,
    VolumesFrom: resolveVolumesFrom(model.volumes_from, containerOf),
    Links: resolveLinks(model.links, containerOf),
    Annotations: model.annotations,
    OomScoreAdj: model.oom_score_adj,
    OomKillDisable: model.oom_kill_disable,
  };
}

/**
 * `restart:` → RestartPolicy; `deploy.restart_policy` wins when present (compose v2
 * `getRestartPolicy`: none → no, any → always, max_attempts → MaximumRetryCount).
 */
export function restartPolicy(model: ServiceModel): { Name: string; MaximumRetryCount: number } {
  const deployPolicy = model.deploy?.restart_policy;
  if (deployPolicy !== undefined) {
    const condition = deployPolicy.condition ?? '';
    const name = condition === 'none' || condition === '' ? 'no' : condition === 'any' ? 'always' : condition;
    return { Name: name, MaximumRetryCount: deployPolicy.max_attempts ?? 0 };
  }
  const [name, retries] = (model.restart ?? 'no').split(':');
  return { Name: name, MaximumRetryCount: retries === undefined ? 0 : Number(retries) };
}

function resourceSettings(model: ServiceModel): Record<string, unknown> {
  const limits = model.deploy?.resources?.limits;
  const reservations = model.deploy?.resources?.reservations;
  const cpus = model.cpus ?? limits?.cpus;
  return {
    Memory: model.mem_limit ?? limits?.memory,
    MemorySwap: model.memswap_limit,
    MemoryReservation: model.mem_reservation ?? reservations?.memory,
    MemorySwappiness: model.mem_swappiness,
    NanoCpus: cpus === undefined ? undefined : Math.round(cpus * 1e9),
    CpuShares: model.cpu_shares,
    CpusetCpus: model.cpuset,
    PidsLimit: model.pids_limit ?? limits?.pids,
    DeviceRequests: reservations?.devices?.map(deviceRequest),
  };
}

/** compose `deploy.resources.reservations.devices[]` → Engine DeviceRequest. */
function deviceRequest(device: Record<string, unknown>): Record<string, unknown> {
  const count = device.count === 'all' ? -1 : device.count === undefined ? undefined : Number(device.count);
  const request: Record<string, unknown> = { Capabilities: [device.capabilities ?? []] };
  if (device.driver !== undefined) request.Driver = String(device.driver);
  if (count !== undefined) request.Count = count;
  if (device.device_ids !== undefined) request.DeviceIDs = device.device_ids;
  if (device.options !== undefined) request.Options = device.options;
  return request;
}

function ulimits(model: ServiceModel): { Name: string; Soft: number; Hard: number }[] | undefined {
  if (model.ulimits === undefined) return undefined;
  return Object.keys(model.ulimits)
    .sort()
    .map((name) => ({ Name: name, Soft: model.ulimits![name].soft, Hard: model.ulimits![name].hard }));
}
