import type { Logger } from '../src/logger.ts';
import { errorMessage } from '../src/errors.ts';
import type { DeploymentStore } from '../persistence/deployment-store.ts';
import type { SnapshotStore } from '../persistence/snapshot-store.ts';
import type { StackStore } from '../persistence/stack-store.ts';
import type { ReconcileEngine } from './reconcile-engine.ts';

/**
 * Runs before any stack actor starts: a deployment a previous process left `in_progress` is
 * restored from its persisted snapshots and marked `interrupted`; a `pending` one (promised but
 * never started) is marked `interrupted` too. The stack then reconciles normally, so it
 * converges to git.
 */
export async function recoverUnfinishedDeployments(deps: {
  deployments: DeploymentStore;
  snapshots: SnapshotStore;
  stacks: StackStore;
  engine: ReconcileEngine;
  logger: Logger;
}): Promise<number> {
  const unfinished = await deps.deployments.listUnfinished();
  for (const deployment of unfinished) {
    const log = deps.logger.child({ stack: deployment.stack_name, deployment_id: deployment.id });
    let note = 'the process stopped before this deployment started';
    if (deployment.status === 'in_progress') {
      try {
        await deps.engine.restore(deployment.stack_name, deployment.id, await deps.snapshots.load(deployment.id));
        note = 'the process stopped during this deployment; the services it touched were restored from their snapshots';
      } catch (error) {
        note = `the process stopped during this deployment; restoring its snapshots failed: ${errorMessage(error)}`;
        log.error({ err: errorMessage(error) }, 'could not restore an interrupted deployment');
      }
    }
    await deps.deployments.addStep(deployment.id, { service: null, step: 'recovered', message: note });
    await deps.deployments.finish(deployment.id, { status: 'interrupted', error_message: note });
    log.warn(note);
  }
  return unfinished.length;
}
