// Rollback from persisted snapshots: every container the failed deployment created is removed,
// every snapshotted container comes back — the exact container when it was kept aside,
// recreated from its snapshot otherwise. Also used at startup to recover an interrupted deploy.

import type Dockerode from 'dockerode';
import { DockerError, errorMessage } from '../errors.ts';
import { engine } from './engine-errors.ts';
import { bringBack, removeContainer } from './containers.ts';
import { LABEL, NEXT_MARKER } from './labels.ts';
import type { Logger } from './logger.ts';
import { createFromSnapshot } from './snapshots.ts';
import type { ProgressEvent, ServiceSnapshot } from './types.ts';

export interface RollbackContext {
  stackName: string;
  /**
   * The failed deployment: every container it created is removed. Without it (an old
   * recovery path) only the containers holding a snapshot's name or a temporary name go.
   */
  deploymentId?: string;
  onProgress?: (event: ProgressEvent) => void;
}

export async function rollBackContainers(
  docker: Dockerode, logger: Logger, snapshots: ServiceSnapshot[], ctx: RollbackContext,
): Promise<void> {
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
    throw new DockerError(`stack ${ctx.stackName}: rollback of deployment ${ctx.deploymentId ?? '(unknown)'} incomplete: ${failures.join('; ')}`, 'rollback_failed');
  }
}

/**
 * The containers this deployment created carry its id in `accelero.deployment`; any other
 * container that now holds a snapshot's name, or a temporary start-first name, replaced one.
 */
async function removeReplacements(docker: Dockerode, snapshots: ServiceSnapshot[], ctx: RollbackContext): Promise<void> {
  const where = { stack: ctx.stackName };
  const all = await engine('listing the containers of the failed deployment', where, () => docker.listContainers({
    all: true, filters: { label: [`${LABEL.stack}=${ctx.stackName}`] },
  }));
  const kept = new Set(snapshots.map((s) => s.containerId));
  const names = new Set(snapshots.map((s) => s.containerName));
  const created = all.filter((c) => !kept.has(c.Id) && (
    (ctx.deploymentId !== undefined && c.Labels[LABEL.deployment] === ctx.deploymentId)
    || c.Names.some((n) => names.has(n.replace(/^\//, '')) || n.includes(NEXT_MARKER))));
  for (const c of created) {
    const service = c.Labels[LABEL.service] ?? '';
    ctx.onProgress?.({ service, step: 'rollback', message: `removing ${c.Names[0]?.replace(/^\//, '')} of the failed deployment` });
    await removeContainer(docker, c.Id, { stack: ctx.stackName, service }, true);
  }
}

async function restoreSnapshot(docker: Dockerode, snapshot: ServiceSnapshot, ctx: RollbackContext): Promise<void> {
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
