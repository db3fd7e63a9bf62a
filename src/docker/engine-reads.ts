// The four lists an actual-state read is made of (containers by stack label, networks and
// volumes by name, images by reference), read either directly, one call per stack, or shared:
// every stack that reads within one window (a reconcile tick) is answered by ONE call per
// kind. 200 idle stacks reconciling every 30 s then cost a few container lists a second
// instead of one per stack, and the engine and this process parse far fewer answers.
//
// A shared read only joins a call that has not been sent yet, so it never sees a state older
// than its own request; it waits at most the window for it. Timer cycles share (a second
// more for a check that comes every 30 s is nothing); an operator's deploy, a rollout's
// verification and the API read directly.

import type Dockerode from 'dockerode';
import { normaliseReference } from './images-ref.ts';
import { LABEL, stackFilter } from './labels.ts';
import { WindowBatch } from '../window-batch.ts';

/** The part of dockerode the reads use: a unit test counts the calls through it. */
export interface EngineLists {
  listContainers(options: { all: boolean; filters: Record<string, string[]> }): Promise<Dockerode.ContainerInfo[]>;
  listNetworks(options: { filters: Record<string, string[]> }): Promise<Dockerode.NetworkInspectInfo[]>;
  listVolumes(options: { filters: Record<string, string[]> }): Promise<{ Volumes?: Dockerode.VolumeInspectInfo[] | null }>;
  listImages(options: { filters: Record<string, string[]> }): Promise<Dockerode.ImageInfo[]>;
}

export interface EngineReads {
  /** The stack's containers (label accelero.stack=<name>), kept-aside ones included. */
  containers(stackName: string): Promise<Dockerode.ContainerInfo[]>;
  /** The networks with exactly these names. */
  networks(names: string[]): Promise<Dockerode.NetworkInspectInfo[]>;
  volumes(names: string[]): Promise<Dockerode.VolumeInspectInfo[]>;
  /** The local images any of these references name. */
  images(refs: string[]): Promise<Dockerode.ImageInfo[]>;
}

export function directReads(lists: EngineLists): EngineReads {
  return {
    containers: (stackName) => lists.listContainers({ all: true, filters: stackFilter(stackName) }),
    networks: async (names) => exactNames(await lists.listNetworks({ filters: { name: names } }), names),
    volumes: async (names) => exactNames((await lists.listVolumes({ filters: { name: names } })).Volumes ?? [], names),
    images: (refs) => lists.listImages({ filters: { reference: refs.map(normaliseReference) } }),
  };
}

/** Reads made within `windowMs` of the first one share one call per kind. */
export function sharedReads(lists: EngineLists, windowMs: number): EngineReads {
  const direct = directReads(lists);
  const containers = new WindowBatch<string, Dockerode.ContainerInfo[]>(windowMs, async (stacks) => {
    const distinct = [...new Set(stacks)];
    if (distinct.length === 1) return [await direct.containers(distinct[0]!)];
    // Every container of any stack, grouped by its stack label.
    const all = await lists.listContainers({ all: true, filters: { label: [LABEL.stack] } });
    const byStack = new Map<string, Dockerode.ContainerInfo[]>();
    for (const entry of all) {
      const stack = entry.Labels?.[LABEL.stack];
      if (stack !== undefined) byStack.set(stack, [...(byStack.get(stack) ?? []), entry]);
    }
    return stacks.map((stack) => byStack.get(stack) ?? []);
  });
  const networks = unionBatch(windowMs, direct.networks, (n: Dockerode.NetworkInspectInfo) => n.Name);
  const volumes = unionBatch(windowMs, direct.volumes, (v: Dockerode.VolumeInspectInfo) => v.Name);
  // Each reader matches its own references in the list (matchImages), so every image of the union is handed on.
  const images = new WindowBatch<string[], Dockerode.ImageInfo[]>(windowMs, async (refLists) => {
    const list = await direct.images([...new Set(refLists.flat())]);
    return refLists.map(() => list);
  });
  return {
    containers: (stackName) => containers.get(stackName),
    networks: (names) => networks.get(names),
    volumes: (names) => volumes.get(names),
    images: (refs) => images.get(refs),
  };
}

/** One call for the union of the names asked for; each reader gets its own names back. */
function unionBatch<T>(windowMs: number, read: (names: string[]) => Promise<T[]>, nameOf: (item: T) => string): WindowBatch<string[], T[]> {
  return new WindowBatch<string[], T[]>(windowMs, async (nameLists) => {
    const found = await read([...new Set(nameLists.flat())]);
    return nameLists.map((names) => found.filter((item) => names.includes(nameOf(item))));
  });
}

/** The name filter matches substrings, so only exact matches are kept. */
function exactNames<T extends { Name: string }>(items: T[], names: string[]): T[] {
  return items.filter((item) => names.includes(item.Name));
}
