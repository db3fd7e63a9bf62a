// What one applyPlan run shares between its services: the engine, the deployment context,
// resolved image ids and the snapshots taken before the first mutation.

import type Dockerode from 'dockerode';
import type { ComposeProject, ComposeService } from '../../compose/types.ts';
import { DockerError } from '../../errors.ts';
import type { ReplicaSpec } from '../containers.ts';
import { tailLogs, verifyContainer } from '../health.ts';
import type { Logger } from '../logger.ts';
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
  const verdict = await verifyContainer(session.docker, id, {
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
