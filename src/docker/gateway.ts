// The DockerGateway: the engine connection plus the reads and stack-wide operations the
// stack actor calls directly (ping, actual state, image pulls, stack removal).

import type Dockerode from 'dockerode';
import type { ComposeProject } from '../compose/types.ts';
import { DockerError } from '../errors.ts';
import { readActualState, readImages } from './actual-state.ts';
import { engine, engineIgnoringMissing, engineMessage } from './engine-errors.ts';
import { pullImage, shouldPull } from './images.ts';
import { stackFilter } from './labels.ts';
import { silentLogger, type Logger } from './logger.ts';
import { selectServices } from './service-rules.ts';
import type { ActualState, RegistryAuth } from './types.ts';

export interface PullRequest { stackName: string; registryAuth?: RegistryAuth[]; serviceFilter?: string[] }
export interface PullReport { pulled: string[]; images: Record<string, string> }

export interface DockerGateway {
  readonly docker: Dockerode;
  readonly logger: Logger;
  /** When this process last pulled each reference (pull_policy always / daily / weekly). */
  readonly lastPulled: Map<string, number>;
  ping(): Promise<void>;
  /** One label-filtered container list; with a project also its networks, volumes and images. */
  readActualState(stackName: string, project?: ComposeProject): Promise<ActualState>;
  /** Pulls per pull_policy before drift, so a tag that moved shows as image_mismatch. */
  pullImages(project: ComposeProject, request: PullRequest): Promise<PullReport>;
  removeStack(stackName: string, opts: { volumes: boolean }): Promise<void>;
}

export function createDockerGateway(docker: Dockerode, logger: Logger = silentLogger): DockerGateway {
  const lastPulled = new Map<string, number>();
  return {
    docker, logger, lastPulled,
    ping: () => ping(docker),
    readActualState: (stackName, project) =>
      engine('reading the actual state', { stack: stackName }, () => readActualState(docker, stackName, project)),
    pullImages: (project, request) => pullForDrift(docker, logger, lastPulled, project, request),
    removeStack: (stackName, opts) => removeStack(docker, logger, stackName, opts),
  };
}

async function ping(docker: Dockerode): Promise<void> {
  const modem = docker.modem as { socketPath?: string; host?: string; port?: number };
  const address = modem.socketPath ?? `${modem.host}:${modem.port}`;
  try {
    await docker.ping();
  } catch (error) {
    throw new DockerError(
      `Docker engine not reachable at ${address}: ${engineMessage(error)}. Start dockerd (Debian: apt-get install docker.io; scripts/ensure-docker.sh) or point DOCKER_HOST / DOCKER_SOCK at a running engine`,
      'docker_unavailable', { cause: error });
  }
}

async function pullForDrift(
  docker: Dockerode, logger: Logger, lastPulled: Map<string, number>, project: ComposeProject, request: PullRequest,
): Promise<PullReport> {
  const local = await engine('listing images', { stack: request.stackName }, () => readImages(docker, project));
  const pulled: string[] = [];
  const seen = new Set<string>();
  for (const service of selectServices(project, request.serviceFilter)) {
    if (seen.has(service.image)) continue;
    seen.add(service.image);
    if (!shouldPull(service.pullPolicy, Boolean(local[service.image]), lastPulled.get(service.image))) continue;
    await pullImage(docker, service.image, service.name, { stackName: request.stackName, registryAuth: request.registryAuth, logger, lastPulled });
    pulled.push(service.image);
  }
  const images = pulled.length > 0 ? await readImages(docker, project) : local;
  return { pulled, images };
}

/** Like `docker compose down`: containers and networks by label; volumes only when asked. */
async function removeStack(docker: Dockerode, logger: Logger, stackName: string, opts: { volumes: boolean }): Promise<void> {
  const where = { stack: stackName };
  const filters = stackFilter(stackName);
  const containers = await engine('listing containers', where, () => docker.listContainers({ all: true, filters }));
  await Promise.all(containers.map((c) => engineIgnoringMissing(`removing container ${c.Names[0]}`, where, () =>
    docker.getContainer(c.Id).remove({ force: true, v: true }))));
  const networks = await engine('listing networks', where, () => docker.listNetworks({ filters }));
  for (const n of networks) await engineIgnoringMissing(`removing network ${n.Name}`, where, () => docker.getNetwork(n.Id).remove());
  if (opts.volumes) {
    const volumes = await engine('listing volumes', where, () => docker.listVolumes({ filters }));
    for (const v of volumes.Volumes ?? []) await engineIgnoringMissing(`removing volume ${v.Name}`, where, () => docker.getVolume(v.Name).remove());
  }
  logger.info({ stack: stackName, containers: containers.length, networks: networks.length }, 'stack removed');
}
