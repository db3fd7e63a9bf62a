import type { Logger } from '../src/logger.ts';
import type { PendingApproval, RestoreJob } from '../machines/stack.types.ts';
import type { DeploymentStore } from '../persistence/deployment-store.ts';
import type { DeploymentRecord, StackRecord } from '../persistence/entities/records.ts';

// What a stack actor must do first when it starts (daemon start, actor restart after a crash)
// because an earlier run left deployments unfinished. A `pending` one (promised, never started)
// is marked `interrupted`. The newest `in_progress` one becomes the actor's first job: it is
// restored from its snapshots in `rolling_back` — the same code a failed rollout runs — and
// retried with backoff while the engine is away, so nothing is marked done that was not restored.
// A deployment `awaiting_approval` is not unfinished work: the stack starts waiting for it
// again (the same row, the same planned commit; approving diffs that commit again anyway).

export interface RecoveryDeps { deployments: DeploymentStore; logger: Logger }

const INTERRUPTED = 'the process stopped during this deployment; the services it touched were restored from their snapshots';
const NEVER_STARTED = 'the process stopped before this deployment started';
const OLDER = 'the process stopped during this deployment, and a newer one of the stack was interrupted too; only the newest is restored';

/** Runs before any stack actor starts: every stack with its first job, if it has one. */
export async function planRecovery(deps: RecoveryDeps, stacks: StackRecord[]): Promise<Array<{ stack: StackRecord; restore: RestoreJob | null; approval: PendingApproval | null }>> {
  const unfinished = await deps.deployments.listUnfinished();
  const awaiting = await deps.deployments.listAwaitingApproval();
  const plans: Array<{ stack: StackRecord; restore: RestoreJob | null; approval: PendingApproval | null }> = [];
  for (const stack of stacks) {
    const restore = await recoverStack(deps, unfinished.filter((d) => d.stack_id === stack.id));
    plans.push({ stack, restore, approval: await waitingApproval(deps, awaiting.filter((d) => d.stack_id === stack.id)) });
  }
  return plans;
}

/** The plan a stack waits for again: its newest awaiting deployment (older ones, if any, are replaced). */
export async function approvalOf(deps: RecoveryDeps, stackId: string): Promise<PendingApproval | null> {
  const awaiting = await deps.deployments.listAwaitingApproval();
  return waitingApproval(deps, awaiting.filter((d) => d.stack_id === stackId));
}

async function waitingApproval(deps: RecoveryDeps, awaiting: DeploymentRecord[]): Promise<PendingApproval | null> {
  const newest = awaiting.at(-1);
  for (const older of awaiting.slice(0, -1)) {
    await deps.deployments.end({ deploymentId: older.id, status: 'skipped', message: `replaced by deployment ${newest!.id} before it was approved`, commit: older.git_commit });
  }
  if (!newest?.git_commit) return null;
  return { deploymentId: newest.id, commit: newest.git_commit, trigger: newest.trigger };
}

/** The first job of a restarted stack actor, from the stack's own unfinished deployments. */
export async function recoveryOf(deps: RecoveryDeps, stackId: string): Promise<RestoreJob | null> {
  const unfinished = await deps.deployments.listUnfinished();
  return recoverStack(deps, unfinished.filter((d) => d.stack_id === stackId));
}

async function recoverStack(deps: RecoveryDeps, unfinished: DeploymentRecord[]): Promise<RestoreJob | null> {
  let restore: RestoreJob | null = null;
  // Newest first (the list is oldest first): only the newest in_progress one can be restored.
  for (const deployment of [...unfinished].reverse()) {
    const log = deps.logger.child({ stack: deployment.stack_name, deployment_id: deployment.id });
    if (deployment.status === 'in_progress' && !restore) {
      restore = { deploymentId: deployment.id, status: 'interrupted', reason: INTERRUPTED, blameRelease: false };
      log.warn('a deployment was interrupted; its snapshots are restored before the stack does anything else');
      continue;
    }
    const note = deployment.status === 'pending' ? NEVER_STARTED : OLDER;
    await deps.deployments.addStep(deployment.id, { service: null, step: 'recovered', message: note });
    await deps.deployments.finish(deployment.id, { status: 'interrupted', error_message: note });
    log.warn(note);
  }
  return restore;
}
