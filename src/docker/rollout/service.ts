// One service's rollout: its replica steps in batches of update_config.parallelism (0 = all),
// update_config.delay between batches, each step by its action and the service's order.

import { setTimeout as sleep } from 'node:timers/promises';
import type { ComposeService } from '../../compose/types.ts';
import { createReplica, keepAside, removeContainer, startContainer, stopContainer } from '../containers.ts';
import { ASIDE_MARKER } from '../labels.ts';
import type { PlannedAction, ReplicaStep } from '../types.ts';
import { progress, ReplicaFailure, replicaSpec, verifyReplica, where, type RolloutSession } from './session.ts';
import { recreateStartFirst } from './start-first.ts';
import { recreateStopFirst } from './stop-first.ts';

/**
 * `ready` settles when the service may start (its depends_on holds). Until then only the new
 * containers of missing replicas are created (not started), so a dependant's creation overlaps
 * its dependencies' start; everything else waits for it.
 */
export async function rollOutService(session: RolloutSession, action: PlannedAction, ready: Promise<void> = Promise.resolve()): Promise<void> {
  const service = session.project.services[action.service];
  const steps = action.replicas.filter((r) => r.action !== 'none');
  if (!service) {
    await ready;
    await Promise.all(steps.map((step) => putAside(session, action.service, step, undefined)));
    return;
  }
  const size = service.updateConfig.parallelism > 0 ? service.updateConfig.parallelism : steps.length;
  for (let i = 0; i < steps.length; i += size) {
    if (i > 0 && service.updateConfig.delayMs > 0) await sleep(service.updateConfig.delayMs);
    await settleBatch(steps.slice(i, i + size).map((step) => runStep(session, service, action, step, ready)));
  }
}

/** Waits for every step of the batch (none is left half-done), then reports the first failure. */
async function settleBatch(running: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(running);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function runStep(session: RolloutSession, service: ComposeService, action: PlannedAction, step: ReplicaStep, ready: Promise<void>): Promise<void> {
  if (step.action === 'create') return createMissing(session, service, step, ready);
  await ready;
  switch (step.action) {
    case 'start': return startStopped(session, service, step);
    case 'remove': return putAside(session, service.name, step, service.stopTimeoutSeconds);
    case 'recreate':
      return action.order === 'stop-first' ? recreateStopFirst(session, service, step) : recreateStartFirst(session, service, step);
    default: return Promise.resolve();
  }
}

async function createMissing(session: RolloutSession, service: ComposeService, step: ReplicaStep, ready: Promise<void>): Promise<void> {
  const at = where(session, service.name);
  progress(session, service.name, 'create', `creating ${step.containerName}`);
  const id = await session.creating(() => createReplica(session.docker, replicaSpec(session, service, step.number, step.containerName)));
  try {
    await ready;
    await session.starting(() => startContainer(session.docker, id, at));
    session.onReplicaStarted(service.name);
    const verdict = await verifyReplica(session, service, id, step.containerName);
    if (!verdict.ok) throw new ReplicaFailure(session.ctx.stackName, service.name, verdict.reason, verdict.logs);
  } catch (error) {
    await removeContainer(session.docker, id, at, true);
    throw error;
  }
}

async function startStopped(session: RolloutSession, service: ComposeService, step: ReplicaStep): Promise<void> {
  const at = where(session, service.name);
  const id = step.containerId!;
  progress(session, service.name, 'start', `starting ${step.containerName}`);
  await session.starting(() => startContainer(session.docker, id, at));
  session.onReplicaStarted(service.name);
  const verdict = await verifyReplica(session, service, id, step.containerName);
  if (verdict.ok) return;
  await stopContainer(session.docker, id, service.stopTimeoutSeconds, at);
  throw new ReplicaFailure(session.ctx.stackName, service.name, verdict.reason, verdict.logs);
}

/** Removal is deferred: stopped and kept aside now, removed when the deployment succeeded. */
async function putAside(session: RolloutSession, service: string, step: ReplicaStep, stopTimeout: number | undefined): Promise<void> {
  if (!step.containerId) return;
  progress(session, service, 'remove', `stopping ${step.containerName}; removed once the deployment succeeded`);
  if (step.containerName.includes(ASIDE_MARKER)) {
    // A leftover of an interrupted rollout is already aside; it only has to go.
    await stopContainer(session.docker, step.containerId, stopTimeout, where(session, service));
  } else await keepAside(session.docker, step.containerId, step.containerName, session.ctx.deploymentId, stopTimeout, where(session, service));
}
