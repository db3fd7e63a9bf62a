// Day-to-day work on one container of a stack: its detail, logs, a stats sample, a restart.
// A container is found only among the stack's own (the `accelero.stack` label filter), so an id
// of another stack's container is "not found" here, never an answer about it.

import type Dockerode from 'dockerode';
import { NotFoundError } from '../errors.ts';
import { engine } from './engine-errors.ts';
import { demultiplex } from './health.ts';
import { LABEL, stackFilter } from './labels.ts';
import { statsFromEngine } from './container-stats.ts';

import type { ContainerStats } from './container-stats.ts';

export type { ContainerStats } from './container-stats.ts';

export interface ContainerDetail {
  id: string; name: string; image: string; service: string | null; state: string; status: string;
  health: string | null; createdAt: string; startedAt: string | null; finishedAt: string | null; exitCode: number | null;
  cmd: string[]; entrypoint: string[]; env: string[]; workingDir: string; user: string;
  restartCount: number; restartPolicy: string; networks: string[];
  mounts: { type: string; source: string; target: string; readOnly: boolean }[];
}

export interface LogOptions { tail: number; since?: number; timestamps: boolean }

export interface ContainerOperations {
  /** `cid`: the full id, a prefix of at least 12 characters, or the container's name. */
  container(stackName: string, cid: string): Promise<ContainerDetail>;
  containerLogs(stackName: string, cid: string, options: LogOptions): Promise<string>;
  containerStats(stackName: string, cid: string): Promise<ContainerStats>;
  restartContainer(stackName: string, cid: string, timeoutSeconds?: number): Promise<string>;
}

// A value whose name says it is a credential is never shown: `docker inspect` would show it,
// but a viewer key is not the Docker socket.
const SECRET_NAME = /pass|secret|token|key|credential|auth|private|cert/i;

export function redactEnvironment(env: string[]): string[] {
  return env.map((entry) => {
    const at = entry.indexOf('=');
    if (at < 0) return entry;
    return SECRET_NAME.test(entry.slice(0, at)) ? `${entry.slice(0, at)}=[redacted]` : entry;
  });
}

export function matchesContainer(entry: Pick<Dockerode.ContainerInfo, 'Id' | 'Names'>, cid: string): boolean {
  if (entry.Id === cid || (cid.length >= 12 && entry.Id.startsWith(cid))) return true;
  const name = cid.startsWith('/') ? cid : `/${cid}`;
  return entry.Names.includes(name);
}

export function containerOperations(docker: Dockerode): ContainerOperations {
  const find = async (stackName: string, cid: string): Promise<Dockerode.ContainerInfo> => {
    const list = await engine('listing containers', { stack: stackName }, () => docker.listContainers({ all: true, filters: stackFilter(stackName) }));
    const found = list.find((entry) => matchesContainer(entry, cid));
    if (!found) throw new NotFoundError(`stack "${stackName}" has no container "${cid}"`);
    return found;
  };
  return {
    container: async (stackName, cid) => {
      const { Id: id } = await find(stackName, cid);
      return detailOf(await engine('inspecting a container', { stack: stackName }, () => docker.getContainer(id).inspect()));
    },
    containerLogs: async (stackName, cid, options) => {
      const { Id: id } = await find(stackName, cid);
      const raw = await engine('reading container logs', { stack: stackName }, () => docker.getContainer(id).logs({
        stdout: true, stderr: true, follow: false, tail: options.tail, since: options.since ?? 0, timestamps: options.timestamps,
      }));
      // A TTY's log comes unframed; demultiplex() passes such a buffer through as it is.
      return demultiplex(raw);
    },
    containerStats: async (stackName, cid) => {
      // The list entry already names the container: no inspect beside the stats call.
      const entry = await find(stackName, cid);
      const sample = await engine('reading container stats', { stack: stackName }, () => docker.getContainer(entry.Id).stats({ stream: false }));
      return statsFromEngine(entry.Id, (entry.Names[0] ?? entry.Id).replace(/^\//, ''), sample);
    },
    restartContainer: async (stackName, cid, timeoutSeconds) => {
      const { Id: id } = await find(stackName, cid);
      await engine('restarting a container', { stack: stackName }, () => docker.getContainer(id).restart(timeoutSeconds === undefined ? {} : { t: timeoutSeconds }));
      return id;
    },
  };
}

function detailOf(info: Dockerode.ContainerInspectInfo): ContainerDetail {
  const state = info.State;
  const started = state.StartedAt && !state.StartedAt.startsWith('0001') ? state.StartedAt : null;
  const finished = state.FinishedAt && !state.FinishedAt.startsWith('0001') ? state.FinishedAt : null;
  return {
    id: info.Id, name: info.Name.replace(/^\//, ''), image: info.Config.Image,
    service: info.Config.Labels?.[LABEL.service] ?? null, state: state.Status, status: state.Status,
    health: state.Health?.Status ?? null, createdAt: info.Created, startedAt: started, finishedAt: finished,
    exitCode: state.Running ? null : state.ExitCode,
    cmd: asList(info.Config.Cmd), entrypoint: asList(info.Config.Entrypoint), env: redactEnvironment(info.Config.Env ?? []),
    workingDir: info.Config.WorkingDir ?? '', user: info.Config.User ?? '',
    restartCount: info.RestartCount ?? 0, restartPolicy: info.HostConfig.RestartPolicy?.Name || 'no',
    networks: Object.keys(info.NetworkSettings?.Networks ?? {}).sort(),
    mounts: (info.Mounts ?? []).map((m) => ({ type: m.Type, source: m.Type === 'volume' ? (m.Name ?? m.Source) : m.Source, target: m.Destination, readOnly: !m.RW })),
  };
}

function asList(value: string | string[] | null | undefined): string[] {
  if (!value) return [];
  return Array.isArray(value) ? value : [value];
}
