// The Docker layer's one interface: diff (→ a typed Plan), apply, verify, restore from
// snapshots, remove what a verified deployment replaced, list and remove a stack's containers.
// Everything is plain data in and out (the seams of docs/architecture.md); the API's
// presentation shapes are built in src/api from these.
//
// How the stack actor uses it:
//   diffing       diff(project, stack, { serviceFilter, registryAuth, pinnedImageIds })
//   deploying     apply(plan, project, ctx): pulls, persists snapshots through ctx.snapshots
//                 BEFORE the first mutation, rolls out each service once its depends_on holds → applied | failed
//   verifying     verify(project, stack, changedServices), then removeReplaced(stack, snapshots)
//   rolling_back  restore(stack, deploymentId, persistedSnapshots) — also crash recovery

import type Dockerode from 'dockerode';
import type { ComposeProject } from '../compose/types.ts';
import { DockerError } from '../errors.ts';
import { applyPlan } from './apply.ts';
import { containerOperations, type ContainerOperations } from './container-operations.ts';
import { resourceLists, type ResourceLists } from './stack-resources.ts';
import type { EngineConnection } from './connection.ts';
import { directReads, sharedReads } from './engine-reads.ts';
import { diffStack, type DiffRequest, type StackDiff } from './diff-stack.ts';
import { EngineFault, engineMessage } from './engine-errors.ts';
import { silentLogger, type Logger } from './logger.ts';
import { projectOnHost, type HostPathMap } from './host-paths.ts';
import { removeReplaced } from './replaced.ts';
import { restoreSnapshots } from './rollback.ts';
import { listStackContainers } from './stack-containers.ts';
import { verifyServices } from './stack-health.ts';
import { removeStack } from './stack-removal.ts';
import { resourceOwners, type ResourceOwnership, type ResourceQuery } from './resource-owners.ts';
import type { ApplyContext, ApplyResult, Plan, ProgressEvent, ServiceSnapshot, StackContainer, Verification } from './types.ts';

/**
 * Also one container of a stack at a time (ContainerOperations: detail, logs, stats, restart)
 * and the images, volumes and networks of stacks (ResourceLists).
 */
export interface DockerEngine extends ContainerOperations, ResourceLists {
  /** Where the engine is, for messages (`unix:///var/run/docker.sock`). */
  readonly address: string;
  ping(): Promise<void>;
  /** Pulls per pull_policy (unless `pull: false`), reads the actual state once, computes drift, plan and health. */
  diff(project: ComposeProject, stackName: string, request?: DiffRequest): Promise<StackDiff>;
  apply(plan: Plan, project: ComposeProject, ctx: ApplyContext): Promise<ApplyResult>;
  /** Every replica of the given services runs (or is a finished job) and is healthy. */
  verify(project: ComposeProject, stackName: string, services: string[]): Promise<Verification>;
  /** Removes the old containers a verified deployment kept aside. */
  removeReplaced(stackName: string, snapshots: ServiceSnapshot[], onProgress?: (event: ProgressEvent) => void): Promise<void>;
  /** Undoes a deployment from its persisted snapshots (rolling_back and crash recovery). */
  restore(stackName: string, deploymentId: string, snapshots: ServiceSnapshot[], onProgress?: (event: ProgressEvent) => void): Promise<void>;
  listContainers(stackName: string): Promise<StackContainer[]>;
  /** Like `docker compose down`; volumes (anonymous ones included) only with `volumes: true`. */
  removeStack(stackName: string, options: { volumes: boolean }): Promise<void>;
  /** The `accelero.stack` label of each named network, volume and container that exists (the deploy policy). */
  resourceOwners(query: ResourceQuery): Promise<ResourceOwnership>;
}

export interface EngineSettings {
  /** The container Accelero runs in (own-container.ts), protected from its own plans. */
  ownContainerId?: string;
  /** HOST_STACKS_DATA_DIR, mapped onto bind sources at apply (host-paths.ts). */
  hostPaths?: HostPathMap;
  /** Accelero runs in a container: an engine that does not answer is never started from there. */
  inContainer?: boolean;
  /** How long a timer cycle's actual-state read waits for other stacks' to share the lists (engine-reads.ts). */
  sharedReadWindowMs?: number;
}

/** A tick: stacks whose timers fire within a second read the engine together. */
const SHARED_READ_WINDOW_MS = 1_000;

export function createDockerEngine(docker: Dockerode, logger: Logger = silentLogger, settings: EngineSettings = {}): DockerEngine {
  const { sharedReadWindowMs, ...placement } = settings;
  const conn: EngineConnection = {
    docker, logger, lastPulled: new Map(), ...placement,
    reads: directReads(docker), sharedReads: sharedReads(docker, sharedReadWindowMs ?? SHARED_READ_WINDOW_MS),
  };
  const address = addressOf(docker);
  return {
    address,
    ping: () => ping(docker, address, settings.inContainer === true),
    diff: (project, stackName, request) => diffStack(conn, project, stackName, request),
    apply: (plan, project, ctx) => applyPlan(conn, plan, projectOnHost(project, settings.hostPaths), ctx),
    verify: (project, stackName, services) => verifyServices(conn, project, stackName, services),
    removeReplaced: (stackName, snapshots, onProgress) => removeReplaced(conn, stackName, snapshots, onProgress),
    restore: (stackName, deploymentId, snapshots, onProgress) => restoreSnapshots(conn, snapshots, { stackName, deploymentId, onProgress }),
    listContainers: (stackName) => listStackContainers(docker, stackName),
    removeStack: (stackName, options) => removeStack(docker, logger, stackName, { ...options, ownContainerId: settings.ownContainerId }),
    resourceOwners: (query) => resourceOwners(docker, query),
    ...containerOperations(docker),
    ...resourceLists(docker),
  };
}

function addressOf(docker: Dockerode): string {
  const modem = docker.modem as { socketPath?: string; host?: string; port?: number; protocol?: string };
  return modem.socketPath ? `unix://${modem.socketPath}` : `${modem.protocol ?? 'http'}://${modem.host}:${modem.port}`;
}

const START_ENGINE = 'Start dockerd (Debian: apt-get install docker.io; scripts/ensure-docker.sh) or point DOCKER_HOST / DOCKER_SOCK at a running engine';
const MOUNT_ENGINE = 'Accelero runs in a container and never installs or starts an engine there: mount the host\'s socket (-v /var/run/docker.sock:/var/run/docker.sock) or set DOCKER_HOST';

async function ping(docker: Dockerode, address: string, inContainer: boolean): Promise<void> {
  try {
    await docker.ping();
  } catch (error) {
    // A frozen engine (accepts, never answers) is told apart from one that is not there.
    const hung = error instanceof EngineFault && error.code === 'docker_timeout';
    const what = hung ? error.message : `Docker engine not reachable at ${address}: ${engineMessage(error)}`;
    throw new DockerError(
      `${what}. ${inContainer ? MOUNT_ENGINE : START_ENGINE}`,
      hung ? 'docker_timeout' : 'docker_unavailable', { cause: error });
  }
}
