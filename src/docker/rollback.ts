// Restore from persisted snapshots — the one rollback path: the stack's rolling_back state
// and the recovery of a deployment interrupted by a crash both run it. Every container the
// deployment created is removed, every snapshotted container comes back: the exact container
// when it was kept aside, recreated from its snapshot otherwise. Idempotent, so a restore that
// was itself interrupted (the engine went away) is simply run again.

import type Dockerode from 'dockerode';
import { DockerError, errorMessage } from '../errors.ts';
import type { EngineConnection } from './connection.ts';
import { engine } from './engine-errors.ts';
import { bringBack, removeContainer } from './containers.ts';
import { LABEL, NEXT_MARKER } from './labels.ts';
import { createFromSnapshot } from './snapshots.ts';
import type { ProgressEvent, ServiceSnapshot } from './types.ts';

export interface RestoreContext {
  stackName: string;
  /** The deployment to undo: every container it created (label accelero.deployment) is removed. */
  deploymentId: string;
  onProgress?: (event: ProgressEvent) => void;
}

export async function restoreSnapshots(conn: EngineConnection, snapshots: ServiceSnapshot[], ctx: RestoreContext): Promise<void> {
  const { docker, logger } = conn;
  await removeReplacements(docker, snapshots, ctx);
  const failures: string[] = [];
  for (const snapshot of snapshots) {
    try {
      await restoreSnapshot(docker, snapshot, ctx);
    } catch (error) {
      logger.error({ stack: ctx.stackName, service: snapshot.service, err: errorMessage(error) }, 'restoring snapshot failed');
      failures.push(`${snapshot.containerName}: ${errorMessage(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new DockerError(`stack ${ctx.stackName}: rollback of deployment ${ctx.deploymentId} incomplete: ${failures.join('; ')}`, 'rollback_failed');
  }
}

/**
 * The containers this deployment created carry its id in `accelero.deployment`; any other
 * container that now holds a snapshot's name, or a temporary start-first name, replaced one.
 */
async function removeReplacements(docker: Dockerode, snapshots: ServiceSnapshot[], ctx: RestoreContext): Promise<void> {
  const where = { stack: ctx.stackName };
  const all = await engine('listing the containers of the failed deployment', where, () => docker.listContainers({
    all: true, filters: { label: [`${LABEL.stack}=${ctx.stackName}`] },
  }));
  const kept = new Set(snapshots.map((s) => s.containerId));
  const names = new Set(snapshots.map((s) => s.containerName));
  const created = all.filter((c) => !kept.has(c.Id) && (
    c.Labels[LABEL.deployment] === ctx.deploymentId
    || c.Names.some((n) => names.has(n.replace(/^\//, '')) || n.includes(NEXT_MARKER))));
  for (const c of created) {
    const service = c.Labels[LABEL.service] ?? '';
    ctx.onProgress?.({ service, step: 'rollback', message: `removing ${c.Names[0]?.replace(/^\//, '')} of the failed deployment` });
    await removeContainer(docker, c.Id, { stack: ctx.stackName, service }, true);
  }
}

async function restoreSnapshot(docker: Dockerode, snapshot: ServiceSnapshot, ctx: RestoreContext): Promise<void> {
  const where = { stack: ctx.stackName, service: snapshot.service };
  const exists = await docker.getContainer(snapshot.containerId).inspect().then(() => true, (e: { statusCode?: number }) => {
    if (e.statusCode === 404) return false;
    throw e;
  });
  if (exists) {
    ctx.onProgress?.({ service: snapshot.service, step: 'rollback', message: `bringing back ${snapshot.containerName}` });
    await bringBack(docker, snapshot.containerId, snapshot.containerName, snapshot.hostConfig.RestartPolicy, snapshot.wasRunning, where);
    return;
  }
  ctx.onProgress?.({ service: snapshot.service, step: 'rollback', message: `recreating ${snapshot.containerName} from its snapshot` });
  await createFromSnapshot(docker, snapshot, where);
}
