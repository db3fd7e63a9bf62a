// Snapshots: an inspect of every container a plan touches (Config, HostConfig, networks with
// aliases, name, image id), taken and persisted before the first mutation, so rollback and
// crash recovery never rely on memory. createFromSnapshot rebuilds a container that is gone.

import type Dockerode from 'dockerode';
import { engine, type Where } from './engine-errors.ts';
import { createWithEndpoints, endpointsOf, startContainer } from './containers.ts';
import type { Plan, ServiceSnapshot } from './types.ts';

const TOUCHING = new Set(['recreate', 'start', 'remove']);

export async function takeSnapshots(docker: Dockerode, plan: Plan): Promise<ServiceSnapshot[]> {
  const targets = plan.levels.flat().flatMap((action) =>
    action.replicas
      .filter((r) => r.containerId && TOUCHING.has(r.action))
      .map((r) => ({ service: action.service, number: r.number, id: r.containerId! })));
  return Promise.all(targets.map((t) => snapshotContainer(docker, t.service, t.number, t.id, { stack: plan.stackName, service: t.service })));
}

export async function snapshotContainer(docker: Dockerode, service: string, number: number, id: string, where: Where): Promise<ServiceSnapshot> {
  const info = await engine(`inspecting container ${id.slice(0, 12)} for its snapshot`, where, () => docker.getContainer(id).inspect());
  return {
    service,
    number,
    containerName: info.Name.replace(/^\//, ''),
    containerId: info.Id,
    config: info.Config as unknown as Record<string, unknown>,
    hostConfig: info.HostConfig as unknown as Record<string, unknown>,
    networks: endpointsOf(info),
    imageId: info.Image,
    wasRunning: info.State.Running || info.State.Restarting,
    takenAt: new Date().toISOString(),
  };
}

/** Recreates a snapshotted container under its old name, on its exact old image id. */
export async function createFromSnapshot(docker: Dockerode, snapshot: ServiceSnapshot, where: Where): Promise<string> {
  const endpoints: Record<string, Record<string, unknown>> = {};
  for (const [network, ep] of Object.entries(snapshot.networks)) {
    endpoints[network] = { Aliases: ep.aliases, ...(ep.ipamConfig ? { IPAMConfig: ep.ipamConfig } : {}) };
  }
  const config = { ...snapshot.config, Image: snapshot.imageId };
  // Hostname defaulted to the old short id; keep it so the service sees the same hostname.
  const id = await createWithEndpoints(docker, snapshot.containerName, config, snapshot.hostConfig, endpoints, where);
  if (snapshot.wasRunning) await startContainer(docker, id, where);
  return id;
}
