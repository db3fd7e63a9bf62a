// The seam types of the Docker layer: what it reads (ActualState), what it finds (DriftItem),
// what it intends (Plan), what it remembers before changing anything (ServiceSnapshot) and
// what it reports (ApplyResult). Plain serialisable data only: no class instances, no Date.

import type { FailureAction, RolloutOrder } from '../compose/types.ts';
import type { Logger } from './logger.ts';

export type ContainerStatus =
  | 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
/** `none` = the container has no healthcheck. */
export type HealthState = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ActualContainer {
  id: string;
  name: string;
  /** `accelero.service` label. */
  service: string;
  /** `com.docker.compose.container-number` label (1-based; 0 when absent). */
  number: number;
  /** Image reference the container was created from (`accelero.image` label). */
  image: string;
  /** Image id the container runs (`sha256:…`), from the list call. */
  imageId: string;
  configHash: string;
  deploymentId: string;
  commit: string;
  state: ContainerStatus;
  /** Docker's human status line, e.g. `Up 3 minutes (healthy)`. */
  statusText: string;
  health: HealthState;
  /** Exit code parsed from `Exited (N) …`; null while not exited. */
  exitCode: number | null;
  /** True for an old container renamed aside during a rollout (kept for rollback). */
  keptAside: boolean;
  /** Anonymous volumes it mounts; a replacement takes them over so their data survives. */
  anonymousVolumes: VolumeMount[];
  labels: Record<string, string>;
  /** Docker network names the container is attached to. */
  networks: string[];
  createdAt: string;
}

export interface ActualNetwork { id: string; name: string; labels: Record<string, string> }
export interface ActualVolume { name: string; labels: Record<string, string> }

export interface ActualState {
  stackName: string;
  containers: ActualContainer[];
  /** Networks of the project found by name (managed and external), keyed by Docker name. */
  networks: Record<string, ActualNetwork>;
  /** Volumes of the project found by name, keyed by Docker name. */
  volumes: Record<string, ActualVolume>;
  /** Local image id each image reference of the project resolves to now (absent = not local). */
  images: Record<string, string>;
  readAt: string;
}

export type DriftKind =
  | 'missing' | 'image_mismatch' | 'stopped' | 'unhealthy' | 'extra' | 'config_changed';

export interface DriftItem {
  /** Service key; for networks and volumes `network:<key>` / `volume:<key>`. */
  service: string;
  kind: DriftKind;
  expected: string;
  actual: string;
  message: string;
  /** Replica the item is about (absent for networks/volumes). */
  number?: number;
  containerId?: string;
  resource?: 'container' | 'network' | 'volume';
}

export type ServiceAction = 'create' | 'recreate' | 'start' | 'remove' | 'none';

/** What happens to one replica of a service. */
/** An anonymous volume (a VOLUME of the image, or `- /path` in compose) mounted at `target`. */
export interface VolumeMount { name: string; target: string }

export interface ReplicaStep {
  number: number;
  action: ServiceAction;
  /** The current container of that replica, when there is one. */
  containerId?: string;
  containerName: string;
  /** Anonymous volumes of the current container, handed to its replacement (compose does too). */
  anonymousVolumes?: VolumeMount[];
}

export interface PlannedAction {
  service: string;
  action: ServiceAction;
  /** Human reason: which drift, which fields changed. */
  reason: string;
  expected: string;
  actual: string;
  order: RolloutOrder;
  /** Why that order (explicit update_config.order, fixed host port, container_name …). */
  orderReason: string;
  replicas: ReplicaStep[];
}

export interface Plan {
  stackName: string;
  project: string;
  /** Actions to apply, by dependency level (depth in depends_on); the rollout starts each as soon as its depends_on holds. */
  levels: PlannedAction[][];
  /** Every selected service's action (including `none`), plus removals, by name. */
  actions: PlannedAction[];
  /** Declared networks / volumes that do not exist yet (created by applyPlan). */
  missingNetworks: string[];
  missingVolumes: string[];
  hasChanges: boolean;
}

export interface EndpointSnapshot {
  aliases: string[];
  ipamConfig?: Record<string, unknown>;
}

/** Everything needed to bring one container back: its inspect, trimmed to what create takes. */
export interface ServiceSnapshot {
  /** Which replica of which service, and the container that was it. */
  service: string; number: number;
  containerName: string; containerId: string;
  /** Inspect `Config` (Image, Env, Labels, Cmd, Healthcheck …) and `HostConfig`. */
  config: Record<string, unknown>;
  hostConfig: Record<string, unknown>;
  /** Endpoints by Docker network name. */
  networks: Record<string, EndpointSnapshot>;
  imageId: string;
  /** Whether it was running when the snapshot was taken (a stopped job stays stopped). */
  wasRunning: boolean;
  takenAt: string;
}

/** Where applyPlan persists the snapshots before its first mutation (the database, in Accelero). */
export interface SnapshotSink {
  save(deploymentId: string, snapshots: ServiceSnapshot[]): Promise<void>;
}

export interface RegistryAuth { registry?: string; username?: string; password?: string }

export interface ProgressEvent { service: string; step: string; message: string }

export interface ApplyContext {
  stackName: string;
  deploymentId: string;
  commit: string;
  registryAuth?: RegistryAuth[];
  snapshots: SnapshotSink;
  onProgress?: (event: ProgressEvent) => void;
  /** Image ids to run instead of resolving the references (a rollback to a past deployment). */
  pinnedImageIds?: Record<string, string>;
  /** The deployment's own logger (stack and deployment ids on every line); default the engine's. */
  logger?: Logger;
  /** Upper bound for one replica's verification and for a depends_on wait (guards hangs); default 300 s. */
  verifyTimeoutMs?: number;
}

export interface Change { service: string; action: ServiceAction; from: string; to: string }

/**
 * `applied`: every planned step ran and each new replica passed its own verification; the
 * deployment is verified as a whole next. `failed`: a step failed; what was changed stays as
 * it is (the old containers kept aside) and the snapshots persisted before the first mutation
 * are what restores it: the engine never rolls back by itself.
 */
export type ApplyStatus = 'applied' | 'failed';

export interface ApplyResult {
  status: ApplyStatus;
  changes: Change[];
  /** Resolved image id of every selected service, so a later rollback runs exactly these. */
  imageIds: Record<string, string>;
  /** False when the failure came before the first mutation: nothing on the host changed. */
  mutated: boolean;
  /** update_config.failure_action of the service that failed (rollback unless it says otherwise). */
  failureAction?: FailureAction;
  /** The engine failed (unreachable, timed out), not the release: the commit is not to blame. */
  engineFailure?: boolean;
  error?: string;
  /** Last log lines of the container that failed verification. */
  failedLogs?: string;
  failedService?: string;
}

export interface Verification { healthy: boolean; error?: string }

/** A managed container as the engine lists it, with its published ports. */
export interface StackContainer extends ActualContainer {
  ports: Array<{ privatePort: number; publicPort: number | null; ip: string | null; type: string }>;
}
