// Which container Accelero itself runs in, if any, and what that means for the paths it hands
// the engine. A relative bind mount of a stack resolves under STACKS_DATA_DIR, a path inside
// Accelero's container; the engine reads bind sources on the Docker host. They name the same
// files only when the data directory is mounted at the same absolute path on both sides, or
// when HOST_STACKS_DATA_DIR says where the host has it.

import { readFile } from 'node:fs/promises';
import { relative, isAbsolute, join } from 'node:path';
import type Dockerode from 'dockerode';
import type { Logger } from './logger.ts';

/** The 64-hex id of the container this process runs in (Docker's mounts of its hostname/hosts files name it). */
export async function ownContainerId(read: (path: string) => Promise<string> = (path) => readFile(path, 'utf8')): Promise<string | undefined> {
  const mountinfo = await read('/proc/self/mountinfo').catch(() => '');
  const fromMounts = /\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf)/.exec(mountinfo);
  if (fromMounts) return fromMounts[1];
  const cgroup = await read('/proc/self/cgroup').catch(() => '');
  return /(?:docker[-/])([0-9a-f]{64})/.exec(cgroup)?.[1];
}

export interface MountFact { Type?: string; Source?: string; Destination?: string }

/**
 * Where `insidePath` is on the Docker host, from the mounts of Accelero's container: the
 * mount with the longest destination holding it. undefined: no mount holds it (it lives in the
 * container's own filesystem, which the engine cannot bind from).
 */
export function hostPathOf(insidePath: string, mounts: MountFact[]): string | undefined {
  let best: { destination: string; source: string } | undefined;
  for (const mount of mounts) {
    if (!mount.Destination || !mount.Source) continue;
    const rest = relative(mount.Destination, insidePath);
    if (rest.startsWith('..') || isAbsolute(rest)) continue;
    if (!best || mount.Destination.length > best.destination.length) best = { destination: mount.Destination, source: mount.Source };
  }
  return best ? join(best.source, relative(best.destination, insidePath)) : undefined;
}

/**
 * The warning to log at start, or undefined when the stacks' relative bind mounts line up:
 * `expectedHostDir` (HOST_STACKS_DATA_DIR, or STACKS_DATA_DIR itself) is where the mounts put it.
 */
export function hostPathWarning(stacksDataDir: string, expectedHostDir: string, mounts: MountFact[]): string | undefined {
  const actual = hostPathOf(stacksDataDir, mounts);
  if (actual === expectedHostDir) return undefined;
  const samePath = 'mount the data directory at the same absolute path inside and outside (-v /var/lib/accelero:/var/lib/accelero)';
  if (actual === undefined) {
    return `STACKS_DATA_DIR ${stacksDataDir} is on no mount of Accelero's container: a relative bind mount of a stack would name ${expectedHostDir} on the Docker host, which does not hold the stack's files; ${samePath}, or mount it and set HOST_STACKS_DATA_DIR to its path on the host`;
  }
  const variable = expectedHostDir === stacksDataDir ? 'STACKS_DATA_DIR' : 'HOST_STACKS_DATA_DIR';
  return `STACKS_DATA_DIR ${stacksDataDir} is ${actual} on the Docker host, but relative bind mounts of stacks would name ${expectedHostDir} (${variable}); set HOST_STACKS_DATA_DIR=${actual} or ${samePath}`;
}

export interface OwnContainer { id: string; name: string; mounts: MountFact[] }

/** Inspects the container this process runs in; undefined outside a container or when the engine does not know it. */
export async function inspectOwnContainer(docker: Dockerode, id: string | undefined): Promise<OwnContainer | undefined> {
  if (!id) return undefined;
  try {
    const info = await docker.getContainer(id).inspect();
    return { id: info.Id, name: info.Name.replace(/^\//, ''), mounts: info.Mounts as MountFact[] };
  } catch {
    return undefined;
  }
}

export interface ContainerSetting {
  /** Accelero runs in a Docker container (its id is in /proc/self/mountinfo or /proc/self/cgroup). */
  inContainer: boolean;
  ownContainerId?: string;
}

/**
 * At start: which container Accelero runs in, and a warning naming the fix when the stacks'
 * relative bind mounts would not line up with the Docker host. Never throws: an engine that is
 * not there yet leaves the check undone, said once.
 */
export async function checkOwnContainer(
  docker: Dockerode, paths: { stacksDataDir: string; hostStacksDataDir?: string }, logger: Logger,
): Promise<ContainerSetting> {
  const id = await ownContainerId();
  if (!id) return { inContainer: false };
  const own = await inspectOwnContainer(docker, id);
  if (!own) {
    logger.warn(`running in container ${id.slice(0, 12)}, which could not be inspected (is the engine reachable?): whether STACKS_DATA_DIR lines up with the Docker host is not checked`);
    return { inContainer: true, ownContainerId: id };
  }
  const warning = hostPathWarning(paths.stacksDataDir, paths.hostStacksDataDir ?? paths.stacksDataDir, own.mounts);
  if (warning) logger.warn(warning);
  else logger.info(`running in container ${own.name}: relative bind mounts of stacks resolve under ${paths.hostStacksDataDir ?? paths.stacksDataDir} on the Docker host`);
  return { inContainer: true, ownContainerId: own.id };
}
