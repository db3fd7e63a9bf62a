// start-first: the new container starts beside the old one (same networks and aliases, so
// both serve the service name), is verified, and only then is the old one stopped and put
// aside and the new one takes its name. At every moment one verified container serves.

import type { ComposeService } from '../../compose/types.ts';
import { createReplica, keepAside, removeContainer, renameContainer, startContainer } from '../containers.ts';
import { nextName } from '../labels.ts';
import type { ReplicaStep } from '../types.ts';
import { progress, ReplicaFailure, replicaSpec, verifyReplica, where, type RolloutSession } from './session.ts';

export async function recreateStartFirst(session: RolloutSession, service: ComposeService, step: ReplicaStep): Promise<void> {
  const { docker, ctx } = session;
  const at = where(session, service.name);
  const temporary = nextName(step.containerName, ctx.deploymentId);
  progress(session, service.name, 'create', `starting ${temporary} beside ${step.containerName}`);
  const id = await session.creating(() => createReplica(docker, replicaSpec(session, service, step.number, temporary, step.anonymousVolumes)));
  try {
    await session.starting(() => startContainer(docker, id, at));
    session.onReplicaStarted(service.name);
  } catch (error) {
    await removeContainer(docker, id, at, true);
    throw error;
  }
  const verdict = await verifyReplica(session, service, id, temporary);
  if (!verdict.ok) {
    await removeContainer(docker, id, at, true);
    throw new ReplicaFailure(ctx.stackName, service.name, verdict.reason, verdict.logs);
  }
  if (step.containerId) await keepAside(docker, step.containerId, step.containerName, ctx.deploymentId, service.stopTimeoutSeconds, at);
  await renameContainer(docker, id, step.containerName, at);
  progress(session, service.name, 'replaced', `${step.containerName} now runs the new container ${id.slice(0, 12)}`);
}
