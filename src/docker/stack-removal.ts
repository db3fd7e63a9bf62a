// Removal of a whole stack, like `docker compose down`: containers and networks by label;
// volumes (named and anonymous) only when asked, as `down --volumes` does.

import type Dockerode from 'dockerode';
import { engine, engineIgnoringMissing } from './engine-errors.ts';
import { stackFilter } from './labels.ts';
import type { Logger } from './logger.ts';
import { ownContainerNote } from './self-protection.ts';

export async function removeStack(docker: Dockerode, logger: Logger, stackName: string, opts: { volumes: boolean; ownContainerId?: string }): Promise<void> {
  const where = { stack: stackName };
  const filters = stackFilter(stackName);
  const listed = await engine('listing containers', where, () => docker.listContainers({ all: true, filters }));
  // Accelero's own container stays (self-protection.ts); its network stays with it (in use).
  const own = listed.find((c) => c.Id === opts.ownContainerId);
  if (own) logger.warn({ stack: stackName }, `${ownContainerNote(own.Names[0]!.replace(/^\//, ''))}: left running while the stack is removed`);
  const containers = listed.filter((c) => c !== own);
  // `v` also removes anonymous volumes: a database image's VOLUME holds data, so only on request.
  await Promise.all(containers.map((c) => engineIgnoringMissing(`removing container ${c.Names[0]}`, where, () =>
    docker.getContainer(c.Id).remove({ force: true, v: opts.volumes }))));
  const networks = await engine('listing networks', where, () => docker.listNetworks({ filters }));
  for (const n of own ? [] : networks) await engineIgnoringMissing(`removing network ${n.Name}`, where, () => docker.getNetwork(n.Id).remove());
  if (opts.volumes) {
    const volumes = await engine('listing volumes', where, () => docker.listVolumes({ filters }));
    for (const v of volumes.Volumes ?? []) await engineIgnoringMissing(`removing volume ${v.Name}`, where, () => docker.getVolume(v.Name).remove());
  }
  logger.info({ stack: stackName, containers: containers.length, networks: networks.length, volumes: opts.volumes }, 'stack removed');
}
