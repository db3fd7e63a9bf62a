// The deploy policy's rules (docs/api.md, Deploy policy). Each is denied unless an admin allows
// it, per stack (the stack's `policy` field) or for every stack (ACCELERO_POLICY_FILE).

export const POLICY_RULES = {
  privileged: 'privileged: true (the container is root on the host)',
  host_network: 'network_mode: host (the host network, its loopback services included)',
  host_pid: 'pid: host (sees and signals every host process)',
  host_ipc: 'ipc: host',
  host_uts: 'uts: host',
  host_userns: 'userns_mode: host',
  host_cgroup: 'cgroup: host',
  capabilities: 'cap_add of ALL, SYS_ADMIN, SYS_MODULE, SYS_RAWIO, SYS_PTRACE, DAC_READ_SEARCH, BPF or SYS_BOOT',
  unconfined: 'security_opt seccomp=unconfined, apparmor=unconfined, label=disable or systempaths=unconfined',
  devices: 'devices: host devices in the container',
  docker_socket: 'a bind mount of the Docker socket, or of a directory that holds it (root on the host)',
  data_dir: "a bind mount of Accelero's data directory (database, keys, other stacks' files) or of a directory above it",
  host_path: 'a bind mount outside ACCELERO_ALLOWED_HOST_PATHS (when that is set)',
  other_containers: 'network_mode, pid, ipc or volumes_from pointing at a container that is not this stack\'s',
  other_stack_resources: "declaring a network or volume that another stack's labels claim",
} as const;

export type PolicyRule = keyof typeof POLICY_RULES;

export const POLICY_RULE_NAMES = Object.keys(POLICY_RULES) as PolicyRule[];

export function isPolicyRule(name: string): name is PolicyRule {
  return Object.hasOwn(POLICY_RULES, name);
}
