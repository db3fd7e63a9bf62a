// The images, volumes and networks of stacks, each with the stack it belongs to and the
// containers that use it (`used_by`): what an operator looks at before cleaning a host up.
// Everything is found from the `accelero.stack` label, on the objects themselves or, for
// images and anonymous volumes (which carry no label of ours), on the containers using them.

import type Dockerode from 'dockerode';
import { engine } from './engine-errors.ts';
import { LABEL } from './labels.ts';

export interface StackImage { id: string; tags: string[]; sizeBytes: number; createdAt: string; stack: string; usedBy: string[] }
export interface StackVolume { name: string; driver: string; createdAt: string | null; stack: string; anonymous: boolean; usedBy: string[] }
export interface StackNetwork { id: string; name: string; driver: string; scope: string; stack: string; usedBy: string[] }

/** `stacks`: only these stacks' objects; undefined = every stack's. */
export interface ResourceLists {
  images(stacks?: string[]): Promise<StackImage[]>;
  volumes(stacks?: string[]): Promise<StackVolume[]>;
  networks(stacks?: string[]): Promise<StackNetwork[]>;
}

const labelled = (stacks?: string[]) => ({ label: stacks?.length === 1 ? [`${LABEL.stack}=${stacks[0]}`] : [LABEL.stack] });
const within = (stacks: string[] | undefined, stack: string | undefined): stack is string =>
  stack !== undefined && (stacks === undefined || stacks.includes(stack));
// The engine names a volume nobody named with 64 hex digits.
const ANONYMOUS = /^[0-9a-f]{64}$/;
const nameOf = (c: Dockerode.ContainerInfo) => (c.Names[0] ?? c.Id).replace(/^\//, '');

export function resourceLists(docker: Dockerode): ResourceLists {
  const containers = async (stacks?: string[]) => {
    const list = await engine('listing containers', {}, () => docker.listContainers({ all: true, filters: labelled(stacks) }));
    return list.filter((c) => within(stacks, c.Labels[LABEL.stack]));
  };
  return {
    images: async (stacks) => {
      const [users, images] = await Promise.all([containers(stacks), engine('listing images', {}, () => docker.listImages())]);
      const byId = new Map(images.map((image) => [image.Id, image]));
      const entries = new Map<string, StackImage>();
      for (const c of users) {
        const stack = c.Labels[LABEL.stack]!;
        const image = byId.get(c.ImageID);
        const key = `${c.ImageID}\0${stack}`;
        const entry = entries.get(key) ?? {
          id: c.ImageID, tags: image?.RepoTags?.filter((t) => t !== '<none>:<none>') ?? [], sizeBytes: image?.Size ?? 0,
          createdAt: image ? new Date(image.Created * 1000).toISOString() : '', stack, usedBy: [],
        };
        entry.usedBy.push(nameOf(c));
        entries.set(key, entry);
      }
      return sorted([...entries.values()], (i) => `${i.stack}\0${i.id}`);
    },
    volumes: async (stacks) => {
      const [users, listed] = await Promise.all([containers(stacks), engine('listing volumes', {}, () => docker.listVolumes({ filters: labelled(stacks) }))]);
      const entries = new Map<string, StackVolume>();
      for (const v of listed.Volumes ?? []) {
        const stack = v.Labels?.[LABEL.stack];
        if (!within(stacks, stack)) continue;
        entries.set(v.Name, { name: v.Name, driver: v.Driver, createdAt: (v as { CreatedAt?: string }).CreatedAt ?? null, stack, anonymous: false, usedBy: [] });
      }
      for (const c of users) {
        for (const mount of c.Mounts ?? []) {
          if (mount.Type !== 'volume' || !mount.Name) continue;
          const entry = entries.get(mount.Name)
            ?? { name: mount.Name, driver: mount.Driver ?? 'local', createdAt: null, stack: c.Labels[LABEL.stack]!, anonymous: ANONYMOUS.test(mount.Name), usedBy: [] };
          entry.usedBy.push(nameOf(c));
          entries.set(mount.Name, entry);
        }
      }
      return sorted([...entries.values()], (v) => `${v.stack}\0${v.name}`);
    },
    networks: async (stacks) => {
      const [users, listed] = await Promise.all([containers(stacks), engine('listing networks', {}, () => docker.listNetworks({ filters: labelled(stacks) }))]);
      const networks = listed.filter((n) => within(stacks, n.Labels?.[LABEL.stack]));
      return sorted(networks.map((n) => ({
        id: n.Id, name: n.Name, driver: n.Driver, scope: n.Scope, stack: n.Labels![LABEL.stack]!,
        usedBy: users.filter((c) => Object.values(c.NetworkSettings?.Networks ?? {}).some((e) => e.NetworkID === n.Id)).map(nameOf),
      })), (n) => `${n.stack}\0${n.name}`);
    },
  };
}

function sorted<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
