// HOST_STACKS_DATA_DIR: bind sources under STACKS_DATA_DIR (a path inside Accelero's container)
// are handed to the engine as the same path under the host's directory. Done at apply only:
// the deploy policy and the config hash see the paths Accelero itself reads, and a container's
// actual state is compared by its config hash, never by its bind strings.

import { relative, isAbsolute, join } from 'node:path';
import type { ComposeProject, ComposeService } from '../compose/types.ts';

export interface HostPathMap {
  /** STACKS_DATA_DIR as Accelero sees it. */
  inside: string;
  /** The same directory on the Docker host (HOST_STACKS_DATA_DIR). */
  host: string;
}

/** `path` on the Docker host: mapped when it is inside `map.inside`, as is otherwise. */
export function onHost(path: string, map: HostPathMap): string {
  const rest = relative(map.inside, path);
  if (rest.startsWith('..') || isAbsolute(rest)) return path;
  return rest === '' ? map.host : join(map.host, rest);
}

function mappedBind(bind: string, map: HostPathMap): string {
  const colon = bind.indexOf(':');
  const source = colon < 0 ? bind : bind.slice(0, colon);
  if (!isAbsolute(source)) return bind;
  return onHost(source, map) + (colon < 0 ? '' : bind.slice(colon));
}

function mappedService(service: ComposeService, map: HostPathMap): ComposeService {
  const hostConfig = service.create.HostConfig as Record<string, unknown>;
  const binds = hostConfig.Binds as string[] | undefined;
  const mounts = hostConfig.Mounts as Array<Record<string, unknown>> | undefined;
  const mapped: Record<string, unknown> = { ...hostConfig };
  if (binds) mapped.Binds = binds.map((bind) => mappedBind(bind, map));
  if (mounts) {
    mapped.Mounts = mounts.map((mount) => (mount.Type === 'bind' && typeof mount.Source === 'string' ? { ...mount, Source: onHost(mount.Source, map) } : mount));
  }
  return { ...service, create: { ...service.create, HostConfig: mapped } };
}

/** The project with every service's bind sources as the engine must see them. */
export function projectOnHost(project: ComposeProject, map: HostPathMap | undefined): ComposeProject {
  if (!map || map.inside === map.host) return project;
  const services = Object.fromEntries(Object.entries(project.services).map(([key, service]) => [key, mappedService(service, map)]));
  return { ...project, services };
}
