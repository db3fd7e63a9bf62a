// The normalised service model: every compose field Accelero supports, in one canonical shape
// (long-form ports and volumes, environment as a map, durations in nanoseconds, sizes in bytes).
// `accelero config` prints it (after formatting durations), and engine-options.ts maps it to the
// Engine API. Field names follow the compose file so the printed model reads like
// `docker compose config`.

export interface PortModel {
  target: number;
  /** Host port or range; undefined means an ephemeral port. */
  published?: string;
  host_ip?: string;
  protocol: string;
  mode: string;
  name?: string;
  app_protocol?: string;
}

export interface MountModel {
  type: 'bind' | 'volume' | 'tmpfs' | 'image' | 'npipe' | 'cluster';
  /** Absolute host path (bind), volume key (volume; undefined when anonymous), image (image). */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: string; recursive?: string };
  volume?: { nocopy?: boolean; subpath?: string; labels?: Record<string, string> };
  tmpfs?: { size?: number; mode?: number };
  image?: { subpath?: string };
}

export interface ServiceNetworkModel {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  driver_opts?: Record<string, string>;
  priority?: number;
  gw_priority?: number;
  interface_name?: string;
}

export interface HealthcheckModel {
  test?: string[];
  /** Nanoseconds. */
  interval?: number;
  timeout?: number;
  start_period?: number;
  start_interval?: number;
  retries?: number;
  disable?: boolean;
}

export interface DependencyModel {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
  restart: boolean;
}

export interface UlimitModel {
  soft: number;
  hard: number;
}

export interface ResourcesModel {
  limits?: { cpus?: number; memory?: number; pids?: number };
  reservations?: { cpus?: number; memory?: number; devices?: Record<string, unknown>[] };
}

export interface UpdateConfigModel {
  parallelism?: number;
  /** Nanoseconds. */
  delay?: number;
  failure_action?: string;
  monitor?: number;
  max_failure_ratio?: number;
  order?: string;
}

export interface RestartPolicyModel {
  condition?: string;
  delay?: number;
  max_attempts?: number;
  window?: number;
}

export interface DeployModel {
  mode?: string;
  replicas?: number;
  resources?: ResourcesModel;
  update_config?: UpdateConfigModel;
  rollback_config?: UpdateConfigModel;
  restart_policy?: RestartPolicyModel;
  labels?: Record<string, string>;
}

export interface EnvFileModel {
  path: string;
  required: boolean;
  format?: string;
}

export interface DeviceModel {
  source: string;
  target: string;
  permissions: string;
}

export interface ServiceModel {
  image: string;
  command?: string[] | null;
  entrypoint?: string[] | null;
  /** Final container environment; null = unresolved bare key (sent as `K`). */
  environment: Record<string, string | null>;
  env_file?: EnvFileModel[];
  ports?: PortModel[];
  expose?: string[];
  volumes?: MountModel[];
  tmpfs?: string[];
  networks?: Record<string, ServiceNetworkModel | null>;
  network_mode?: string;
  depends_on?: Record<string, DependencyModel>;
  healthcheck?: HealthcheckModel;
  restart?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  container_name?: string;
  hostname?: string;
  domainname?: string;
  user?: string;
  working_dir?: string;
  cap_add?: string[];
  cap_drop?: string[];
  privileged?: boolean;
  extra_hosts?: string[];
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
  ulimits?: Record<string, UlimitModel>;
  logging?: { driver?: string; options?: Record<string, string> };
  mem_limit?: number;
  mem_reservation?: number;
  memswap_limit?: number;
  mem_swappiness?: number;
  cpus?: number;
  cpu_shares?: number;
  cpuset?: string;
  pids_limit?: number;
  oom_score_adj?: number;
  oom_kill_disable?: boolean;
  deploy?: DeployModel;
  scale?: number;
  profiles?: string[];
  stop_grace_period?: number;
  stop_signal?: string;
  init?: boolean;
  read_only?: boolean;
  shm_size?: number;
  sysctls?: Record<string, string>;
  pull_policy?: string;
  security_opt?: string[];
  devices?: DeviceModel[];
  tty?: boolean;
  stdin_open?: boolean;
  ipc?: string;
  pid?: string;
  cgroup?: string;
  group_add?: string[];
  runtime?: string;
  platform?: string;
  userns_mode?: string;
  volumes_from?: string[];
  links?: string[];
  /** File-based secrets and configs: mounted read-only at `target`. */
  secrets?: { source: string; target: string }[];
  configs?: { source: string; target: string }[];
  mac_address?: string;
}
