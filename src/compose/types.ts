// The ComposeProject seam: what src/compose hands to src/docker, the API (`config`, preview)
// and the actors. Plain, serialisable data only (no class instances, no Date).

export type DependsOnCondition =
  | 'service_started'
  | 'service_healthy'
  | 'service_completed_successfully';

export interface ServiceDependency {
  condition: DependsOnCondition;
  required: boolean;
  restart: boolean;
}

export type RolloutOrder = 'start-first' | 'stop-first';
export type FailureAction = 'rollback' | 'pause' | 'continue';

export interface UpdateConfig {
  /** undefined when the compose file does not say; src/docker picks one (docs/architecture.md, Rollout). */
  order?: RolloutOrder;
  failureAction: FailureAction;
  /** How long a new container must stay running (no healthcheck) before it counts as stable. */
  monitorMs: number;
  /** Pause between two batches of one service. */
  delayMs: number;
  /** Containers updated at once within one service (0 = all). */
  parallelism: number;
}

/** Docker Engine API `POST /containers/create` body, minus the container name. */
export interface EngineCreateOptions {
  /** Config.* (ContainerConfig): Image, Cmd, Entrypoint, Env, Labels, ExposedPorts, Healthcheck, ... */
  Config: Record<string, unknown> & { Image: string; Labels: Record<string, string> };
  /** HostConfig.*: PortBindings, Binds, Mounts, RestartPolicy, NetworkMode, resources, ... */
  HostConfig: Record<string, unknown>;
  /** NetworkingConfig.EndpointsConfig keyed by the Docker network name. */
  NetworkingConfig: { EndpointsConfig: Record<string, Record<string, unknown>> };
}

export interface ComposeService {
  /** The service key in the compose file. */
  name: string;
  /** The interpolated image reference, e.g. `nginx:1.27` or `registry.local:5000/app:v2`. */
  image: string;
  /** Number of containers (deploy.replicas / scale; default 1). */
  replicas: number;
  /** `always`, `never`, `missing`, `build`, `daily`, `weekly`, `every_<dur>` (if_not_present folded to missing). */
  pullPolicy: string;
  /** Restart policy name: `no`, `always`, `on-failure`, `unless-stopped`. */
  restart: string;
  dependsOn: Record<string, ServiceDependency>;
  updateConfig: UpdateConfig;
  /** Set when the service declares a healthcheck that is not disabled. */
  hasHealthcheck: boolean;
  /** container_name, when set (forces stop-first and replicas = 1). */
  containerName?: string;
  /** True when a port is published on a fixed host port (forces stop-first). */
  publishesFixedHostPort: boolean;
  /** Stop timeout in seconds (stop_grace_period), used for `POST /containers/{id}/stop?t=`. */
  stopTimeoutSeconds: number;
  /** Compose network keys the service joins (empty with network_mode). */
  networks: string[];
  /** Named volume keys the service mounts. */
  volumes: string[];
  profiles: string[];
  /** `platform:` (`os/arch[/variant]`), for `?platform=` on create and on pull. */
  platform?: string;
  /** The normalised service model, printed by `accelero config` (like `docker compose config`). */
  model: Record<string, unknown>;
  /** Create options for one container of this service, with the user's labels only. */
  create: EngineCreateOptions;
  /** SHA-256 (hex) of the canonical create options; label `accelero.config-hash`. */
  configHash: string;
}

/** What a top-level network and a top-level volume have in common. */
export interface ComposeResource {
  key: string;
  /** The Docker name: `<project>_<key>`, or `name:`, or the key itself when external. */
  name: string;
  external: boolean;
  driver?: string;
  driverOpts: Record<string, string>;
  labels: Record<string, string>;
}

export interface ComposeNetwork extends ComposeResource {
  internal: boolean;
  attachable: boolean;
  enableIpv6: boolean;
  /** `enable_ipv4`, only when the compose file says (the Engine default is on). */
  enableIpv4?: boolean;
  /** Engine shape: `{Driver, Config: [{Subnet, IPRange, Gateway, AuxiliaryAddresses}], Options}`. */
  ipam?: Record<string, unknown>;
}

export type ComposeVolume = ComposeResource;

export interface ComposeProject {
  /** Project name: the stack name normalised to [a-z0-9_-] (or the compose `name:`). */
  name: string;
  /** Absolute paths of the project directory (the per-commit export) and of the compose file. */
  workingDir: string;
  composeFile: string;
  /** By key. Networks: only those some service uses, plus declared ones; `default` when used. */
  services: Record<string, ComposeService>;
  networks: Record<string, ComposeNetwork>;
  volumes: Record<string, ComposeVolume>;
  /** Non-fatal findings (unset variables, deprecated forms), in file order. */
  warnings: string[];
}

export interface LoadComposeOptions {
  /** Absolute directory the compose file lives in and relative paths resolve against. */
  projectDir: string;
  /** Path of the compose file relative to projectDir (default `docker-compose.yaml`, then `compose.yaml` ...). */
  composePath?: string;
  /** Project name override (Accelero passes the normalised stack name). */
  projectName?: string;
  /** Process environment used for interpolation; defaults to `process.env`. */
  environment?: Record<string, string | undefined>;
  /** Directory nothing may escape (bind sources may; env_file and the compose file may not). Defaults to projectDir. */
  rootDir?: string;
  /** Active profiles (COMPOSE_PROFILES). */
  profiles?: string[];
}

export interface ComposeLoader {
  load(options: LoadComposeOptions): Promise<ComposeProject>;
}
