// Networks and named volumes of a project: created and labelled when missing; external ones
// must already exist (compose: "network X declared as external, but could not be found").

import type Dockerode from 'dockerode';
import type { ComposeNetwork, ComposeProject, ComposeVolume } from '../compose/types.ts';
import { DockerError } from '../errors.ts';
import { engine, statusCode, wrapEngineError } from './engine-errors.ts';
import { resourceLabels } from './labels.ts';
import type { Logger } from './logger.ts';

/** Fails, before anything is changed, when an external network or volume the project needs is absent. */
export function assertExternalsExist(stackName: string, project: ComposeProject, missing: { networks: string[]; volumes: string[] }): void {
  const network = Object.values(project.networks).find((n) => n.external && missing.networks.includes(n.name));
  if (network) throw externalMissing(stackName, 'network', network.name);
  const volume = Object.values(project.volumes).find((v) => v.external && missing.volumes.includes(v.name));
  if (volume) throw externalMissing(stackName, 'volume', volume.name);
}

/** `missing` names the Docker names the plan found absent (Plan.missingNetworks / missingVolumes). */
export async function ensureResources(
  docker: Dockerode, stackName: string, project: ComposeProject, missing: { networks: string[]; volumes: string[] }, logger: Logger,
): Promise<void> {
  for (const network of Object.values(project.networks)) {
    if (!missing.networks.includes(network.name)) continue;
    if (network.external) throw externalMissing(stackName, 'network', network.name);
    await createNetwork(docker, stackName, project.name, network, logger);
  }
  for (const volume of Object.values(project.volumes)) {
    if (!missing.volumes.includes(volume.name)) continue;
    if (volume.external) throw externalMissing(stackName, 'volume', volume.name);
    await createVolume(docker, stackName, project.name, volume, logger);
  }
}

function externalMissing(stackName: string, kind: string, name: string): DockerError {
  return new DockerError(
    `stack ${stackName}: ${kind} ${name} is declared as external, but could not be found; create it on the host (docker ${kind} create ${name})`,
    `external_${kind}_missing`,
  );
}

async function createNetwork(docker: Dockerode, stackName: string, project: string, n: ComposeNetwork, logger: Logger): Promise<void> {
  const body = {
    Name: n.name,
    Driver: n.driver ?? 'bridge',
    Options: n.driverOpts,
    Internal: n.internal,
    Attachable: n.attachable,
    EnableIPv6: n.enableIpv6,
    ...(n.ipam ? { IPAM: n.ipam } : {}),
    Labels: resourceLabels('network', n.key, stackName, project, n.labels),
    CheckDuplicate: true,
  };
  try {
    await docker.createNetwork(body as Dockerode.NetworkCreateOptions);
    logger.info({ stack: stackName, network: n.name }, 'network created');
  } catch (error) {
    // Created meanwhile (a parallel deploy of a stack sharing it): that is what we wanted.
    if (statusCode(error) === 409) return;
    throw wrapEngineError(error, `creating network ${n.name}`, { stack: stackName });
  }
}

async function createVolume(docker: Dockerode, stackName: string, project: string, v: ComposeVolume, logger: Logger): Promise<void> {
  await engine(`creating volume ${v.name}`, { stack: stackName }, () => docker.createVolume({
    Name: v.name,
    Driver: v.driver ?? 'local',
    DriverOpts: v.driverOpts,
    Labels: resourceLabels('volume', v.key, stackName, project, v.labels),
  }));
  logger.info({ stack: stackName, volume: v.name }, 'volume created');
}
