// The Docker layer's one interface: diff (→ a typed Plan), apply, verify, restore from
// snapshots, remove what a verified deployment replaced, list and remove a stack's containers.
// Everything is plain data in and out (the seams of docs/architecture.md); the API's
// presentation shapes are built in src/api from these.
//
// How the stack actor uses it:
//   diffing       diff(project, stack, { serviceFilter, registryAuth, pinnedImageIds })
//   deploying     apply(plan, project, ctx): pulls, persists snapshots through ctx.snapshots
//                 BEFORE the first mutation, rolls out level by level → applied | failed
//   verifying     verify(project, stack, changedServices), then removeReplaced(stack, snapshots)
//   rolling_back  restore(stack, deploymentId, persistedSnapshots) — also crash recovery

import type Dockerode from 'dockerode';
import type { ComposeProject } from '../compose/types.ts';
import { DockerError } from '../errors.ts';
import { applyPlan } from './apply.ts';
import type { EngineConnection } from './connection.ts';
import { directReads, sharedReads } from './engine-reads.ts';
import { diffStack, type DiffRequest, type StackDiff } from './diff-stack.ts';
import { EngineFault, engineMessage } from './engine-errors.ts';
import { silentLogger, type Logger } from './logger.ts';
import { removeReplaced } from './replaced.ts';
import { restoreSnapshots } from './rollback.ts';
import { listStackContainers } from './stack-containers.ts';
import { verifyServices } from './stack-health.ts';
import { removeStack } from './stack-removal.ts';
import { resourceOwners, type ResourceOwnership, type ResourceQuery } from './resource-owners.ts';
import type { ApplyContext, ApplyResult, Plan, ProgressEvent, ServiceSnapshot, StackContainer, Verification } from './types.ts';

export interface DockerEngine {
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

export interface DockerEngineOptions {
  /** How long a timer cycle's actual-state read waits for other stacks' to share the lists (engine-reads.ts). */
  sharedReadWindowMs?: number;
}

/** A tick: stacks whose timers fire within a second read the engine together. */
const SHARED_READ_WINDOW_MS = 1_000;

export function createDockerEngine(docker: Dockerode, logger: Logger = silentLogger, options: DockerEngineOptions = {}): DockerEngine {
  const conn: EngineConnection = {
    docker, logger, lastPulled: new Map(),
    reads: directReads(docker), sharedReads: sharedReads(docker, options.sharedReadWindowMs ?? SHARED_READ_WINDOW_MS),
  };
  const address = addressOf(docker);
  return {
    address,
    ping: () => ping(docker, address),
    diff: (project, stackName, request) => diffStack(conn, project, stackName, request),
    apply: (plan, project, ctx) => applyPlan(conn, plan, project, ctx),
    verify: (project, stackName, services) => verifyServices(conn, project, stackName, services),
    removeReplaced: (stackName, snapshots, onProgress) => removeReplaced(conn, stackName, snapshots, onProgress),
    restore: (stackName, deploymentId, snapshots, onProgress) => restoreSnapshots(conn, snapshots, { stackName, deploymentId, onProgress }),
    listContainers: (stackName) => listStackContainers(docker, stackName),
    removeStack: (stackName, options) => removeStack(docker, logger, stackName, options),
    resourceOwners: (query) => resourceOwners(docker, query),
  };
}

function addressOf(docker: Dockerode): string {
  const modem = docker.modem as { socketPath?: string; host?: string; port?: number; protocol?: string };
  return modem.socketPath ? `unix://${modem.socketPath}` : `${modem.protocol ?? 'http'}://${modem.host}:${modem.port}`;
}

async function ping(docker: Dockerode, address: string): Promise<void> {
  try {
    await docker.ping();
  } catch (error) {
    // A frozen engine (accepts, never answers) is told apart from one that is not there.
    const hung = error instanceof EngineFault && error.code === 'docker_timeout';
    const what = hung ? error.message : `Docker engine not reachable at ${address}: ${engineMessage(error)}`;
    throw new DockerError(
      `${what}. Start dockerd (Debian: apt-get install docker.io; scripts/ensure-docker.sh) or point DOCKER_HOST / DOCKER_SOCK at a running engine`,
      hung ? 'docker_timeout' : 'docker_unavailable', { cause: error });
  }
}
