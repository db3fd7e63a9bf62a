import { isAbsolute, relative, resolve } from 'node:path';
import type { ComposeProject, ComposeService } from '../compose/types.ts';
import type { PolicyRule } from './rules.ts';
import type { PolicyViolation } from './violation.ts';

// The deploy policy as a pure function of the normalised project and a few facts about the
// host (paths, and which stack owns the networks, volumes and containers the project names).
// It reads each service's create options, which is what reaches the Engine, and names the
// compose field each option comes from.

export interface PolicyPaths {
  /** Accelero's data directory and STACKS_DATA_DIR (real paths). */
  dataDirs: string[];
  /** The stack's own exports, `<STACKS_DATA_DIR>/<stack>` (relative binds land there). */
  ownExportDir: string;
  /** The Docker socket(s) (real paths). */
  dockerSockets: string[];
  /** ACCELERO_ALLOWED_HOST_PATHS (real paths); undefined = any host path. */
  allowedHostPaths?: string[];
}

/** Which stack's label an object carries: a name, null (exists, no label), or absent (no such object). */
export interface ResourceOwners {
  networks: Record<string, string | null>;
  volumes: Record<string, string | null>;
  containers: Record<string, string | null>;
}

export interface PolicyInput {
  stack: string;
  allowed: ReadonlySet<string>;
  paths: PolicyPaths;
  owners: ResourceOwners;
  /** The real path of a host path (symlinks resolved); the path itself when it does not exist. */
  realpath: (path: string) => string;
}

type Found = Omit<PolicyViolation, 'stack'>;

export function checkProject(project: ComposeProject, input: PolicyInput): PolicyViolation[] {
  const found: Found[] = [];
  for (const service of Object.values(project.services)) {
    found.push(...namespaceRules(service), ...privilegeRules(service), ...bindRules(service, input), ...containerRules(service, input));
  }
  found.push(...resourceRules(project, input));
  return found.filter((v) => !input.allowed.has(v.rule)).map((v) => ({ stack: input.stack, ...v }));
}

/** The names of what the project refers to by name, for the owner lookup. */
export function referencedObjects(project: ComposeProject): { networks: string[]; volumes: string[]; containers: string[] } {
  const containers = Object.values(project.services).flatMap((service) => containerReferences(service).map((ref) => ref.container));
  return {
    networks: Object.values(project.networks).filter((n) => !n.external).map((n) => n.name),
    volumes: Object.values(project.volumes).filter((v) => !v.external).map((v) => v.name),
    containers: [...new Set(containers)],
  };
}

const hostConfig = (service: ComposeService) => service.create.HostConfig as Record<string, unknown>;

function namespaceRules(service: ComposeService): Found[] {
  const host = hostConfig(service);
  const modes: Array<[string | undefined, string, PolicyRule, string]> = [
    [host.NetworkMode as string, 'network_mode', 'host_network', 'network_mode: host shares the host network'],
    [host.PidMode as string, 'pid', 'host_pid', 'pid: host shares the host process namespace'],
    [host.IpcMode as string, 'ipc', 'host_ipc', 'ipc: host shares the host IPC namespace'],
    [host.UTSMode as string, 'uts', 'host_uts', 'uts: host shares the host UTS namespace'],
    [host.UsernsMode as string, 'userns_mode', 'host_userns', 'userns_mode: host turns user namespace remapping off'],
    [host.CgroupnsMode as string, 'cgroup', 'host_cgroup', "cgroup: host shares the host's cgroup namespace"],
  ];
  return modes.filter(([mode]) => mode === 'host').map(([, field, rule, message]) => ({ service: service.name, field, rule, message }));
}

// Capabilities with a known way out of a container onto the host: mounts and namespaces
// (SYS_ADMIN), kernel modules, raw I/O, reading any host file by handle (DAC_READ_SEARCH, the
// "shocker" escape), ptrace of host processes with pid: host, eBPF.
const DANGEROUS_CAPABILITIES = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_PTRACE', 'DAC_READ_SEARCH', 'BPF', 'SYS_BOOT']);

/** security_opt entries that switch a confinement off (Docker's `--security-opt` forms, `=` or `:`). */
const UNCONFINED = /^(seccomp[=:]unconfined|apparmor[=:]unconfined|label[=:]disable|systempaths[=:]unconfined)$/i;

function privilegeRules(service: ComposeService): Found[] {
  const host = hostConfig(service);
  const found: Found[] = [];
  if (host.Privileged === true) found.push({ service: service.name, field: 'privileged', rule: 'privileged', message: 'privileged: true makes the container root on the host' });
  const caps = ((host.CapAdd as string[] | undefined) ?? []).map((cap) => cap.toUpperCase().replace(/^CAP_/, ''));
  for (const cap of caps.filter((c) => DANGEROUS_CAPABILITIES.has(c))) {
    found.push({ service: service.name, field: 'cap_add', rule: 'capabilities', message: `cap_add ${cap} gives the container control of the host` });
  }
  for (const option of ((host.SecurityOpt as string[] | undefined) ?? []).filter((o) => UNCONFINED.test(o.trim()))) {
    found.push({ service: service.name, field: 'security_opt', rule: 'unconfined', message: `security_opt ${option} switches off a confinement of the container` });
  }
  const devices = (host.Devices as Array<{ PathOnHost?: string }> | undefined) ?? [];
  if (devices.length > 0) {
    found.push({ service: service.name, field: 'devices', rule: 'devices', message: `devices ${devices.map((d) => d.PathOnHost).join(', ')} expose host devices` });
  }
  return found;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Host paths the service bind-mounts: `volumes:` binds and file-based secrets and configs. */
function bindSources(service: ComposeService): string[] {
  const host = hostConfig(service);
  const binds = ((host.Binds as string[] | undefined) ?? []).map((bind) => bind.split(':')[0]!).filter((source) => isAbsolute(source));
  const mounts = ((host.Mounts as Array<{ Type?: string; Source?: string }> | undefined) ?? [])
    .filter((m) => m.Type === 'bind' && typeof m.Source === 'string').map((m) => m.Source!);
  return [...binds, ...mounts];
}

function fieldOfBind(service: ComposeService, source: string): string {
  const volumes = (service.model.volumes as Array<{ type?: string; source?: string }> | undefined) ?? [];
  return volumes.some((v) => v.type === 'bind' && v.source === source) ? 'volumes' : 'secrets';
}

function bindRules(service: ComposeService, input: PolicyInput): Found[] {
  const found: Found[] = [];
  for (const source of bindSources(service)) {
    const real = input.realpath(resolve(source));
    const rule = bindRule(real, input.paths);
    if (rule) found.push({ service: service.name, field: fieldOfBind(service, source), rule: rule.rule, message: `bind mount of ${source}: ${rule.why}` });
  }
  return found;
}

function bindRule(real: string, paths: PolicyPaths): { rule: PolicyRule; why: string } | undefined {
  if (paths.dockerSockets.some((socket) => isInside(real, socket))) return { rule: 'docker_socket', why: 'it is or holds the Docker socket' };
  const ownFiles = isInside(paths.ownExportDir, real);
  if (!ownFiles && paths.dataDirs.some((dir) => isInside(dir, real) || isInside(real, dir))) {
    return { rule: 'data_dir', why: "it is, holds or is inside Accelero's data directory" };
  }
  if (!ownFiles && paths.allowedHostPaths && !paths.allowedHostPaths.some((allowed) => isInside(allowed, real))) {
    return { rule: 'host_path', why: `it is outside ACCELERO_ALLOWED_HOST_PATHS (${paths.allowedHostPaths.join(', ')})` };
  }
  return undefined;
}

/** `container:<name>` in network_mode, pid and ipc, and volumes_from entries naming containers. */
function containerReferences(service: ComposeService): Array<{ field: string; container: string }> {
  const host = hostConfig(service);
  const refs: Array<{ field: string; container: string }> = [];
  for (const [field, mode] of [['network_mode', host.NetworkMode], ['pid', host.PidMode], ['ipc', host.IpcMode]] as const) {
    if (typeof mode === 'string' && mode.startsWith('container:')) refs.push({ field, container: mode.slice('container:'.length) });
  }
  for (const entry of (host.VolumesFrom as string[] | undefined) ?? []) refs.push({ field: 'volumes_from', container: entry.split(':')[0]! });
  return refs;
}

function containerRules(service: ComposeService, input: PolicyInput): Found[] {
  return containerReferences(service)
    .filter(({ container }) => Object.hasOwn(input.owners.containers, container) && input.owners.containers[container] !== input.stack)
    .map(({ field, container }) => ({
      service: service.name, field, rule: 'other_containers' as const,
      message: `${field} points at container ${container}, which ${describeOwner(input.owners.containers[container]!)}`,
    }));
}

function describeOwner(owner: string | null): string {
  return owner === null ? 'Accelero does not manage' : `belongs to stack "${owner}"`;
}

function resourceRules(project: ComposeProject, input: PolicyInput): Found[] {
  const found: Found[] = [];
  for (const kind of ['networks', 'volumes'] as const) {
    for (const resource of Object.values(project[kind])) {
      const owner = input.owners[kind][resource.name];
      if (resource.external || owner === undefined || owner === null || owner === input.stack) continue;
      const users = Object.values(project.services).filter((s) => s[kind].includes(resource.key)).map((s) => s.name);
      found.push({
        service: users[0] ?? null, field: `${kind}.${resource.key}`, rule: 'other_stack_resources',
        message: `${kind === 'networks' ? 'network' : 'volume'} ${resource.name} belongs to stack "${owner}"${users.length > 1 ? ` (used by ${users.join(', ')})` : ''}`,
      });
    }
  }
  return found;
}
