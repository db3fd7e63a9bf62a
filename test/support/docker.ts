// Test helpers for integration tests on the real engine: a client, unique stack names, and a
// label-based cleanup that removes only what a test created (used in `after` hooks, so it
// also runs when the test failed).

import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';

export const docker = new Dockerode({ socketPath: process.env.DOCKER_SOCK ?? '/var/run/docker.sock' });

export function uniqueStackName(prefix: string): string {
  return `acct-${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Removes every container, network and volume labelled accelero.stack=<name>. */
export async function cleanupStack(stackName: string): Promise<void> {
  const filters = { label: [`accelero.stack=${stackName}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
}

/** Ids of the running containers of one service of a stack. */
export async function runningIds(stackName: string, service: string): Promise<string[]> {
  const list = await docker.listContainers({ filters: { label: [`accelero.stack=${stackName}`, `accelero.service=${service}`] } });
  return list.map((c) => c.Id).sort();
}

export async function allContainers(stackName: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`accelero.stack=${stackName}`] } });
}
