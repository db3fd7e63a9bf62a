// What one applyPlan run shares between its services: the engine, its event stream, the
// deployment context, resolved image ids, the snapshots taken before the first mutation, and
// the bounds on container creations and starts that run at once.

import type Dockerode from 'dockerode';
import type { ComposeProject, ComposeService } from '../../compose/types.ts';
import { DockerError } from '../../errors.ts';
import type { ReplicaSpec } from '../containers.ts';
import { tailLogs, verifyContainer } from '../health.ts';
import type { Logger } from '../logger.ts';
import type { StackEvents } from '../stack-events.ts';
import type { DeploymentImages } from '../apply-images.ts';
import { isJob } from '../service-rules.ts';
import type { ApplyContext, ServiceSnapshot, VolumeMount } from '../types.ts';

export interface RolloutSession {
  docker: Dockerode;
  logger: Logger;
  project: ComposeProject;
  ctx: ApplyContext;
  images: DeploymentImages;
  /** container id → snapshot taken before the first mutation. */
  snapshots: Map<string, ServiceSnapshot>;
  verifyTimeoutMs: number;
  events: StackEvents;
  /** Runs a container creation within the bound on parallel creations. */
  creating: <T>(create: () => Promise<T>) => Promise<T>;
  /** Runs a container start within its own bound: a start never queues behind creations made ahead of time. */
  starting: <T>(start: () => Promise<T>) => Promise<T>;
  /** Told when a replica's new container started (a service_started dependant may go). */
  onReplicaStarted: (service: string) => void;
}

/** At most `limit` calls of the returned function run at once; the others wait their turn, in order. */
export function boundedParallel(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finished task hands its slot to the next in line, so no newcomer slips in between.
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}

/** A replica that failed; the rollout already put that replica back as it was. */
export class ReplicaFailure extends DockerError {
  readonly service: string;
  readonly logs: string;
  constructor(stack: string, service: string, reason: string, logs = '') {
    super(`stack ${stack}, service ${service}: ${reason}`, 'rollout_failed');
    this.service = service;
    this.logs = logs;
  }
}

export function replicaSpec(
  session: RolloutSession, service: ComposeService, number: number, name: string, inheritedVolumes: VolumeMount[] = [],
): ReplicaSpec {
  const { ctx, project } = session;
  return {
    stackName: ctx.stackName, project, service, number, name,
    deploymentId: ctx.deploymentId, commit: ctx.commit,
    image: session.images.createImages[service.name] ?? service.image,
    imageId: session.images.imageIds[service.name] ?? '',
    inheritedVolumes,
  };
}

export function where(session: RolloutSession, service: string): { stack: string; service: string } {
  return { stack: session.ctx.stackName, service };
}

export function progress(session: RolloutSession, service: string, step: string, message: string): void {
  session.logger.info({ stack: session.ctx.stackName, service, step }, message);
  session.ctx.onProgress?.({ service, step, message });
}

/** Verifies a started container; on failure returns the reason with its last log lines. */
export async function verifyReplica(
  session: RolloutSession, service: ComposeService, id: string, name: string,
): Promise<{ ok: true } | { ok: false; reason: string; logs: string }> {
  progress(session, service.name, 'verify', `waiting for ${name} to be ${service.hasHealthcheck ? 'healthy' : 'stable'}`);
  const verdict = await verifyContainer(session.docker, session.events, id, {
    hasHealthcheck: service.hasHealthcheck,
    healthcheck: service.create.Config.Healthcheck as never,
    monitorMs: service.updateConfig.monitorMs > 0 ? service.updateConfig.monitorMs : 5_000,
    job: isJob(session.project, service),
    timeoutMs: session.verifyTimeoutMs,
  });
  if (verdict.ok) {
    progress(session, service.name, 'verified', `${name}: ${verdict.detail}`);
    return { ok: true };
  }
  return { ok: false, reason: `${name} failed verification: ${verdict.reason}`, logs: await tailLogs(session.docker, id) };
}
