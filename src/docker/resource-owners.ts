import type Dockerode from 'dockerode';
import { DockerError } from '../errors.ts';
import { engineMessage, statusCode } from './engine-errors.ts';
import { LABEL } from './labels.ts';

// Which stack the networks, volumes and containers a compose project names belong to, by
// their `accelero.stack` label: what the deploy policy needs to keep one stack out of
// another's. An object that does not exist is left out; one without the label maps to null.

export interface ResourceQuery {
  networks: string[];
  volumes: string[];
  containers: string[];
}

export interface ResourceOwnership {
  networks: Record<string, string | null>;
  volumes: Record<string, string | null>;
  containers: Record<string, string | null>;
}

type Labelled = { Labels?: Record<string, string> | null; Config?: { Labels?: Record<string, string> | null } };

async function ownersOf(names: string[], inspect: (name: string) => Promise<Labelled>, kind: string): Promise<Record<string, string | null>> {
  const owners: Record<string, string | null> = {};
  await Promise.all([...new Set(names)].map(async (name) => {
    try {
      const info = await inspect(name);
      owners[name] = (info.Labels ?? info.Config?.Labels ?? {})[LABEL.stack] ?? null;
    } catch (error) {
      if (statusCode(error) === 404) return;
      throw new DockerError(`looking up the ${kind} ${name} failed: ${engineMessage(error)}`, 'docker_error', { cause: error });
    }
  }));
  return owners;
}

export async function resourceOwners(docker: Dockerode, query: ResourceQuery): Promise<ResourceOwnership> {
  const [networks, volumes, containers] = await Promise.all([
    ownersOf(query.networks, (name) => docker.getNetwork(name).inspect() as Promise<Labelled>, 'network'),
    ownersOf(query.volumes, (name) => docker.getVolume(name).inspect() as Promise<Labelled>, 'volume'),
    ownersOf(query.containers, (name) => docker.getContainer(name).inspect() as Promise<Labelled>, 'container'),
  ]);
  return { networks, volumes, containers };
}
