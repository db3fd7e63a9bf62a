// Actual state: ONE label-filtered container list per stack (plus one list each for the
// project's networks, volumes and image references when a project is given), or a share of
// one list for every stack that reads in the same window (engine-reads.ts). The list entries
// already carry state, health (in the status text), exit code, labels, image id and networks,
// so nothing is inspected here.

import type Dockerode from 'dockerode';
import type { ComposeProject } from '../compose/types.ts';
import type { EngineReads } from './engine-reads.ts';
import { ASIDE_MARKER, LABEL } from './labels.ts';
import { normaliseReference } from './images-ref.ts';
import type { ActualContainer, ActualNetwork, ActualState, ActualVolume, ContainerStatus, HealthState, VolumeMount } from './types.ts';

export async function readActualState(reads: EngineReads, stackName: string, project?: ComposeProject): Promise<ActualState> {
  const [entries, networks, volumes, images] = await Promise.all([
    reads.containers(stackName),
    project ? readNetworks(reads, project) : {},
    project ? readVolumes(reads, project) : {},
    project ? readImages(reads, project) : {},
  ]);
  return {
    stackName,
    containers: entries.map(toActualContainer),
    networks, volumes, images,
    readAt: new Date().toISOString(),
  };
}

export function toActualContainer(entry: Dockerode.ContainerInfo): ActualContainer {
  const labels = entry.Labels ?? {};
  const name = (entry.Names?.[0] ?? entry.Id).replace(/^\//, '');
  return {
    id: entry.Id,
    name,
    service: labels[LABEL.service] ?? '',
    number: Number(labels[LABEL.composeNumber] ?? 0) || 0,
    // Docker shows an image id in `Image` once the tag moved on; our label keeps the reference.
    image: labels[LABEL.image] ?? entry.Image,
    imageId: entry.ImageID,
    configHash: labels[LABEL.configHash] ?? '',
    deploymentId: labels[LABEL.deployment] ?? '',
    commit: labels[LABEL.commit] ?? '',
    state: entry.State as ContainerStatus,
    statusText: entry.Status,
    health: parseHealth(entry.Status),
    exitCode: parseExitCode(entry.Status),
    keptAside: name.includes(ASIDE_MARKER),
    anonymousVolumes: anonymousVolumesOf(entry),
    labels,
    networks: Object.keys(entry.NetworkSettings?.Networks ?? {}),
    createdAt: new Date(entry.Created * 1000).toISOString(),
  };
}

/** Docker names anonymous volumes with 64 hex digits; named ones carry their name. */
const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

export function anonymousVolumesOf(entry: Dockerode.ContainerInfo): VolumeMount[] {
  return (entry.Mounts ?? [])
    .filter((m) => m.Type === 'volume' && typeof m.Name === 'string' && ANONYMOUS_VOLUME.test(m.Name))
    .map((m) => ({ name: m.Name!, target: m.Destination }));
}

/** Docker appends `(healthy)`, `(unhealthy)` or `(health: starting)` to the status of a container with a healthcheck. */
export function parseHealth(status: string): HealthState {
  if (/\(healthy\)/.test(status)) return 'healthy';
  if (/\(unhealthy\)/.test(status)) return 'unhealthy';
  if (/\(health: starting\)/.test(status)) return 'starting';
  return 'none';
}

/** `Exited (137) 5 seconds ago` → 137. */
export function parseExitCode(status: string): number | null {
  const match = /^Exited \((-?\d+)\)/.exec(status);
  return match ? Number(match[1]) : null;
}

async function readNetworks(reads: EngineReads, project: ComposeProject): Promise<Record<string, ActualNetwork>> {
  const names = Object.values(project.networks).map((n) => n.name);
  if (names.length === 0) return {};
  const found: Record<string, ActualNetwork> = {};
  for (const n of await reads.networks(names)) found[n.Name] = { id: n.Id, name: n.Name, labels: n.Labels ?? {} };
  return found;
}

async function readVolumes(reads: EngineReads, project: ComposeProject): Promise<Record<string, ActualVolume>> {
  const names = Object.values(project.volumes).map((v) => v.name);
  if (names.length === 0) return {};
  const found: Record<string, ActualVolume> = {};
  for (const v of await reads.volumes(names)) found[v.Name] = { name: v.Name, labels: v.Labels ?? {} };
  return found;
}

/** One image list filtered on every reference of the project → reference → local image id. */
export async function readImages(reads: EngineReads, project: ComposeProject): Promise<Record<string, string>> {
  const refs = [...new Set(Object.values(project.services).map((s) => s.image))];
  if (refs.length === 0) return {};
  return matchImages(refs, await reads.images(refs));
}

export function matchImages(refs: string[], list: Dockerode.ImageInfo[]): Record<string, string> {
  const byRef = new Map<string, string>();
  for (const image of list) {
    for (const tag of [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])]) byRef.set(normaliseReference(tag), image.Id);
  }
  const result: Record<string, string> = {};
  for (const ref of refs) {
    const id = byRef.get(normaliseReference(ref));
    if (id) result[ref] = id;
  }
  return result;
}
