// stop-first, forced when two containers would collide (fixed host port, container_name):
// the old container is stopped and renamed aside — kept, not removed — the new one starts
// under the real name and is verified; on failure the new one goes and the old one comes back.

import type { ComposeService } from '../../compose/types.ts';
import { bringBack, createReplica, keepAside, removeContainer, startContainer } from '../containers.ts';
import type { ReplicaStep } from '../types.ts';
import { progress, ReplicaFailure, replicaSpec, verifyReplica, where, type RolloutSession } from './session.ts';

export async function recreateStopFirst(session: RolloutSession, service: ComposeService, step: ReplicaStep): Promise<void> {
  const { docker, ctx } = session;
  const at = where(session, service.name);
  const old = step.containerId;
  if (old) {
    progress(session, service.name, 'stop', `stopping ${step.containerName} and keeping it aside`);
    await keepAside(docker, old, step.containerName, ctx.deploymentId, service.stopTimeoutSeconds, at);
  }
  let id: string | undefined;
  try {
    const created = await session.creating(() => createReplica(docker, replicaSpec(session, service, step.number, step.containerName, step.anonymousVolumes)));
    id = created;
    await session.starting(() => startContainer(docker, created, at));
    session.onReplicaStarted(service.name);
    const verdict = await verifyReplica(session, service, id, step.containerName);
    if (!verdict.ok) throw new ReplicaFailure(ctx.stackName, service.name, verdict.reason, verdict.logs);
  } catch (error) {
    if (id) await removeContainer(docker, id, at, true);
    if (old) await restoreOld(session, service, step, old);
    throw error;
  }
  progress(session, service.name, 'replaced', `${step.containerName} now runs the new container ${id.slice(0, 12)}`);
}

async function restoreOld(session: RolloutSession, service: ComposeService, step: ReplicaStep, old: string): Promise<void> {
  const snapshot = session.snapshots.get(old);
  const name = snapshot?.containerName ?? step.containerName;
  progress(session, service.name, 'restore', `bringing back ${name}`);
  await bringBack(session.docker, old, name, snapshot?.hostConfig.RestartPolicy, snapshot?.wasRunning ?? true, where(session, service.name));
}
