// Container operations of a rollout: create a replica with our labels and every network
// (API 1.41 takes ONE network at create, the others are connected before start), keep an
// old container aside (stopped, restart policy off, renamed) and bring it back, remove.

import type Dockerode from 'dockerode';
import type { ComposeProject, ComposeService } from '../compose/types.ts';
import { engine, engineIgnoringMissing, type Where } from './engine-errors.ts';
import { asideName, containerLabels } from './labels.ts';
import type { EndpointSnapshot, VolumeMount } from './types.ts';

export interface ReplicaSpec {
  stackName: string;
  project: ComposeProject;
  service: ComposeService;
  number: number;
  /** Name to create it under (the final name, or a temporary one beside the old container). */
  name: string;
  deploymentId: string;
  commit: string;
  /** Config.Image: the reference, or an image id when pinned to an image the tag no longer names. */
  image: string;
  imageId: string;
  /** Anonymous volumes of the container this one replaces (their data must survive). */
  inheritedVolumes?: VolumeMount[];
}

/** Creates (does not start) one replica; returns its id. */
export async function createReplica(docker: Dockerode, spec: ReplicaSpec): Promise<string> {
  const { service } = spec;
  const where = { stack: spec.stackName, service: service.name };
  const labels = containerLabels(service.create.Config.Labels ?? {}, {
    stackName: spec.stackName, project: spec.project.name, service: service.name, number: spec.number,
    configHash: service.configHash, deploymentId: spec.deploymentId, commit: spec.commit,
    image: service.image, imageId: spec.imageId,
    workingDir: spec.project.workingDir, composeFile: spec.project.composeFile,
  });
  const endpoints = withServiceAlias(service.create.NetworkingConfig.EndpointsConfig, service.name);
  const config = { ...service.create.Config, Image: spec.image, Labels: labels };
  const hostConfig = withInheritedVolumes(service.create.HostConfig, spec.inheritedVolumes ?? []);
  return createWithEndpoints(docker, spec.name, config, hostConfig, endpoints, where);
}

/**
 * compose carries a replaced container's anonymous volumes over to the new one, so a database
 * image's VOLUME keeps its data across a recreate; a target the service now mounts itself wins.
 */
export function withInheritedVolumes(hostConfig: Record<string, unknown>, inherited: VolumeMount[]): Record<string, unknown> {
  if (inherited.length === 0) return hostConfig;
  const mounts = Array.isArray(hostConfig.Mounts) ? (hostConfig.Mounts as Array<{ Type?: string; Source?: string; Target?: string }>) : [];
  const binds = Array.isArray(hostConfig.Binds) ? (hostConfig.Binds as string[]) : [];
  const byTarget = new Map(inherited.map((v) => [v.target, v]));
  // An anonymous mount the service declares itself (`- /data`) takes the old volume, as in compose.
  const isAnonymous = (m: { Type?: string; Source?: string }) => m.Type === 'volume' && !m.Source;
  const kept = mounts.filter((m) => !(isAnonymous(m) && m.Target && byTarget.has(m.Target)));
  const taken = new Set([
    ...kept.map((m) => m.Target),
    ...binds.map((b) => b.split(':')[1]),
    ...Object.keys((hostConfig.Tmpfs as Record<string, string> | undefined) ?? {}),
  ]);
  const carried = inherited.filter((v) => !taken.has(v.target)).map((v) => ({ Type: 'volume', Source: v.name, Target: v.target }));
  return carried.length === 0 ? hostConfig : { ...hostConfig, Mounts: [...kept, ...carried] };
}

/** Compose gives every container its service name as a network alias; make sure it is there. */
function withServiceAlias(endpoints: Record<string, Record<string, unknown>>, service: string): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const [network, endpoint] of Object.entries(endpoints)) {
    const aliases = Array.isArray(endpoint.Aliases) ? (endpoint.Aliases as string[]) : [];
    result[network] = { ...endpoint, Aliases: aliases.includes(service) ? aliases : [service, ...aliases] };
  }
  return result;
}

/**
 * Docker 20.10 (API 1.41) accepts one entry in NetworkingConfig.EndpointsConfig; the primary
 * one (HostConfig.NetworkMode) goes into create, the rest via POST /networks/{id}/connect.
 */
export async function createWithEndpoints(
  docker: Dockerode, name: string, config: Record<string, unknown>, hostConfig: Record<string, unknown>,
  endpoints: Record<string, Record<string, unknown>>, where: Where,
): Promise<string> {
  const names = Object.keys(endpoints);
  const mode = typeof hostConfig.NetworkMode === 'string' ? hostConfig.NetworkMode : undefined;
  const primary = mode && names.includes(mode) ? mode : names[0];
  const networking = primary ? { EndpointsConfig: { [primary]: endpoints[primary] } } : undefined;
  const body = { ...config, name, HostConfig: { ...hostConfig, ...(primary && !mode ? { NetworkMode: primary } : {}) }, NetworkingConfig: networking };
  const container = await engine(`creating container ${name}`, where, () => docker.createContainer(body as Dockerode.ContainerCreateOptions));
  try {
    for (const network of names.filter((n) => n !== primary)) {
      await engine(`connecting ${name} to network ${network}`, where, () =>
        docker.getNetwork(network).connect({ Container: container.id, EndpointConfig: endpoints[network] }));
    }
  } catch (error) {
    await removeContainer(docker, container.id, where, true).catch(() => undefined);
    throw error;
  }
  return container.id;
}

export async function startContainer(docker: Dockerode, id: string, where: Where): Promise<void> {
  try {
    await docker.getContainer(id).start();
  } catch (error) {
    // 304: already started; that is what we wanted.
    if ((error as { statusCode?: number }).statusCode === 304) return;
    // Docker refuses to start a paused container ("try unpause instead"): unpause it.
    if (/paused/i.test(String((error as { message?: string }).message))) {
      await engine(`unpausing container ${id.slice(0, 12)}`, where, () => docker.getContainer(id).unpause());
      return;
    }
    await engine(`starting container ${id.slice(0, 12)}`, where, () => Promise.reject(error));
  }
}

/** Without a timeout the engine uses the container's own StopTimeout (stop_grace_period). */
export async function stopContainer(docker: Dockerode, id: string, timeoutSeconds: number | undefined, where: Where): Promise<void> {
  try {
    await docker.getContainer(id).stop(timeoutSeconds === undefined ? {} : { t: timeoutSeconds });
  } catch (error) {
    const code = (error as { statusCode?: number }).statusCode;
    if (code === 304 || code === 404) return; // already stopped / gone
    await engine(`stopping container ${id.slice(0, 12)}`, where, () => Promise.reject(error));
  }
}

/** `v` removes the container's anonymous volumes: only for containers that never served. */
export async function removeContainer(docker: Dockerode, id: string, where: Where, anonymousVolumes = false): Promise<void> {
  await engineIgnoringMissing(`removing container ${id.slice(0, 12)}`, where, () =>
    docker.getContainer(id).remove({ force: true, v: anonymousVolumes }));
}

export async function renameContainer(docker: Dockerode, id: string, name: string, where: Where): Promise<void> {
  await engine(`renaming container ${id.slice(0, 12)} to ${name}`, where, () => docker.getContainer(id).rename({ name }));
}

/**
 * Keeps an old container for rollback: stopped, its restart policy switched off (so a daemon
 * restart does not bring it back beside its replacement), renamed to free its name.
 */
export async function keepAside(
  docker: Dockerode, id: string, name: string, deploymentId: string, stopTimeoutSeconds: number | undefined, where: Where,
): Promise<string> {
  await stopContainer(docker, id, stopTimeoutSeconds, where);
  await engine(`disabling the restart policy of ${name}`, where, () =>
    docker.getContainer(id).update({ RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } }));
  const aside = asideName(name, deploymentId);
  await renameContainer(docker, id, aside, where);
  return aside;
}

/** Undoes keepAside: original name, original restart policy, running again if it was. */
export async function bringBack(
  docker: Dockerode, id: string, name: string, restartPolicy: unknown, start: boolean, where: Where,
): Promise<void> {
  const info = await engine(`inspecting container ${id.slice(0, 12)}`, where, () => docker.getContainer(id).inspect());
  if (info.Name.replace(/^\//, '') !== name) await renameContainer(docker, id, name, where);
  if (restartPolicy) {
    await engine(`restoring the restart policy of ${name}`, where, () =>
      docker.getContainer(id).update({ RestartPolicy: restartPolicy }));
  }
  if (start && !info.State.Running) await startContainer(docker, id, where);
  if (!start && info.State.Running) await stopContainer(docker, id, undefined, where);
}

/** Endpoints of an inspected container, minus the short-id alias Docker 20.10 adds itself. */
export function endpointsOf(info: Dockerode.ContainerInspectInfo): Record<string, EndpointSnapshot> {
  const shortId = info.Id.slice(0, 12);
  const result: Record<string, EndpointSnapshot> = {};
  for (const [network, endpoint] of Object.entries(info.NetworkSettings.Networks ?? {})) {
    const ep = endpoint as { Aliases?: string[] | null; IPAMConfig?: Record<string, unknown> | null };
    result[network] = {
      aliases: (ep.Aliases ?? []).filter((a) => a !== shortId),
      ...(ep.IPAMConfig ? { ipamConfig: ep.IPAMConfig } : {}),
    };
  }
  return result;
}
