import { createHash } from 'node:crypto';
import { fromPromise } from 'xstate';
import { describeChanges, type ProgressEvent } from '../src/docker/index.ts';
import type { AcceleroGitSource } from '../src/git/index.ts';
import { errorMessage } from '../src/errors.ts';
import type { Logger } from '../src/logger.ts';
import { recordDrift } from '../src/metrics.ts';
import type {
  ApplyInput, ApplyOutput, ApprovalInput, ApprovalOutput, FetchInput, FetchOutput, PlanInput, PlanOutput, RollBackInput, VerifyInput, VerifyOutput,
} from '../machines/stack.types.ts';
import type { DeploymentStore } from '../persistence/deployment-store.ts';
import type { DriftStore } from '../persistence/drift-store.ts';
import type { SnapshotStore } from '../persistence/snapshot-store.ts';
import type { StackStore } from '../persistence/stack-store.ts';
import { WindowBatch } from '../src/window-batch.ts';
import { diffDesiredState, registryAuthOf, sourceSpecOf, type DesiredStateDeps } from './desired-project.ts';
import type { EventBus } from './event-bus.ts';

// The I/O steps the stack machine invokes (fetchSource, planChanges, applyPlan, verifyRollout,
// rollBack). Each takes what the earlier steps of the cycle produced, from the machine's
// context, and returns what the next one needs: nothing is remembered here between steps.

export interface StackStepDeps extends DesiredStateDeps {
  stacks: StackStore;
  deployments: DeploymentStore;
  snapshots: SnapshotStore;
  drift: DriftStore;
  git: AcceleroGitSource;
  bus: EventBus;
  logger: Logger;
  /** How long a timer cycle's last_reconciled_at waits for the others of its tick (one UPDATE for all). */
  stampWindowMs?: number;
}

export class StackSteps {
  /** last_reconciled_at of timer cycles that changed nothing else, written once per tick. */
  private readonly reconcileStamps: WindowBatch<{ stackId: string; at: string }, void>;

  constructor(private readonly deps: StackStepDeps) {
    this.reconcileStamps = new WindowBatch(deps.stampWindowMs ?? 1_000, async (stamps) => {
      const latest = stamps.reduce((at, s) => (s.at > at ? s.at : at), stamps[0]!.at);
      await deps.stacks.stampReconciled([...new Set(stamps.map((s) => s.stackId))], latest);
      return stamps.map(() => undefined);
    });
  }

  /** The steps as XState actors (a failing step's promised deployment is ended by the machine). */
  get actors() {
    return {
      fetchSource: fromPromise<FetchOutput, FetchInput>(({ input }) => this.fetchSource(input)),
      planChanges: fromPromise<PlanOutput, PlanInput>(({ input }) => this.planChanges(input)),
      applyPlan: fromPromise<ApplyOutput, ApplyInput>(({ input }) => this.applyPlan(input)),
      verifyRollout: fromPromise<VerifyOutput, VerifyInput>(({ input }) => this.verifyRollout(input)),
      rollBack: fromPromise<void, RollBackInput>(({ input }) => this.rollBack(input)),
      recordApproval: fromPromise<ApprovalOutput, ApprovalInput>(({ input }) => this.recordApproval(input)),
    };
  }

  /** Reads the stack row (once per cycle) and resolves git: the branch's head, or a rollback's commit. */
  async fetchSource({ stackId, request }: FetchInput): Promise<FetchOutput> {
    const { deps } = this;
    const stack = await deps.stacks.find(stackId);
    if (!stack) throw new Error(`stack ${stackId} no longer exists`);
    const spec = sourceSpecOf(stack, deps.secrets);
    // Exports that running containers bind-mount must survive the pruning of old exports;
    // asked only when a new export is pruned after (an idle cycle's commit is exported already).
    const retain = () => deps.deployments.commitsInUse(stackId);
    if (request.rollbackTo) {
      const target = await deps.deployments.get(request.rollbackTo);
      if (!target?.git_commit) throw new Error(`deployment ${request.rollbackTo} has no commit to roll back to`);
      return { stack, revision: await deps.git.checkout(spec, target.git_commit, { retain }), pinnedImageIds: target.image_ids };
    }
    // An approved plan deploys the commit that was approved, not whatever the branch says now.
    if (request.approvedCommit) return { stack, revision: await deps.git.checkout(spec, request.approvedCommit, { retain }) };
    // Timer cycles share one ls-remote per repository; an operator's deploy or a push must
    // see the branch as it is now.
    const fresh = request.trigger !== 'reconcile';
    return { stack, revision: await deps.git.resolve(spec, fresh ? { refreshAfter: Date.now(), retain } : { retain }) };
  }

  async planChanges({ stack, revision, request, pinnedImageIds, driftDigest }: PlanInput): Promise<PlanOutput> {
    const { deps } = this;
    // A timer's cycle shares one container list with every stack whose timer fired in the same
    // tick; an operator's deploy or a push reads at once.
    const sharedRead = request.trigger === 'reconcile';
    const { project, diff } = await diffDesiredState(deps, stack, revision, { pinnedImageIds, sharedRead, policy: 'enforce' });
    const checkedAt = new Date().toISOString();
    recordDrift(stack.name, diff.drift.map((d) => d.kind));
    // Drift goes to watchers every cycle, to the database only when it changed.
    const digest = createHash('sha256').update(JSON.stringify(diff.drift)).digest('hex');
    if (digest !== driftDigest) {
      await deps.drift.record({ stack_id: stack.id, checked_at: checkedAt, has_drift: diff.drift.length > 0, drifts: diff.drift });
    }
    deps.bus.publish({ kind: 'drift', stack_id: stack.id, stack_name: stack.name, has_drift: diff.drift.length > 0, drift_count: diff.drift.length, at: checkedAt });
    // git_commit is the commit the containers run: set here only when they already match it.
    const inSync = !diff.plan.hasChanges;
    if (sharedRead && (!inSync || stack.git_commit === revision.commit)) {
      // A timer cycle that changes no column but the stamp: one UPDATE for its whole tick,
      // not awaited (a lost stamp is the previous check's time, nothing more).
      this.reconcileStamps.get({ stackId: stack.id, at: checkedAt })
        .catch((error: unknown) => deps.logger.warn({ stack: stack.name, err: errorMessage(error) }, 'could not record when the stack was reconciled'));
    } else {
      await deps.stacks.updateStatus(stack.id, { ...(inSync ? { git_commit: revision.commit } : {}), last_reconciled_at: checkedAt });
    }
    return {
      project, plan: diff.plan, driftDigest: digest,
      syncStatus: diff.plan.hasChanges ? 'out_of_sync' : 'synced',
      healthStatus: diff.health,
    };
  }

  async applyPlan({ stack, revision, project, plan, request, pinnedImageIds }: ApplyInput): Promise<ApplyOutput> {
    const { deps } = this;
    const deploymentId = await deps.deployments.begin(stack, request.trigger, revision.commit, request.deploymentId);
    const log = deps.logger.child({ stack: stack.name, deployment_id: deploymentId });
    log.info({ commit: revision.commit, actions: plan.levels.flat().length }, 'deploying');
    const outcome = await deps.engine.apply(plan, project, {
      stackName: stack.name, deploymentId, commit: revision.commit,
      registryAuth: await registryAuthOf(deps, stack), pinnedImageIds,
      snapshots: { save: (id, snapshots) => deps.snapshots.save(stack.id, id, snapshots) },
      logger: log,
      // The Docker layer logs each step itself (with this deployment's logger).
      onProgress: this.progressOf(stack, deploymentId),
    });
    // What was done is on the row whatever comes next (verification, restore, failure).
    await deps.deployments.recordChanges(deploymentId, outcome.changes, outcome.imageIds)
      .catch((error: unknown) => log.error({ err: errorMessage(error) }, 'could not record the changes of the deployment'));
    return { deploymentId, outcome };
  }

  /** A plan that waits for approval goes on its deployment row; the one it replaces ends skipped. */
  async recordApproval({ stack, commit, plan, request, replaces }: ApprovalInput): Promise<ApprovalOutput> {
    const { deps } = this;
    const changes = describeChanges(plan);
    const deploymentId = await deps.deployments.awaitApproval({ stack, trigger: request.trigger, commit, changes, promisedId: request.deploymentId });
    if (replaces && replaces.deploymentId !== deploymentId) {
      await deps.deployments.end({
        deploymentId: replaces.deploymentId, status: 'skipped', commit: replaces.commit,
        message: `replaced by deployment ${deploymentId} (commit ${commit.slice(0, 12)}, ${request.trigger}) before it was approved`,
      });
    }
    const message = `planned ${changes.length} change(s) of commit ${commit.slice(0, 12)}; waiting for approval (POST …/deployments/${deploymentId}/approve or …/reject)`;
    await deps.deployments.addStep(deploymentId, { service: null, step: 'awaiting_approval', message });
    deps.bus.publish({ kind: 'deployment', stack_id: stack.id, stack_name: stack.name, deployment_id: deploymentId, service: null, step: 'awaiting_approval', message, at: new Date().toISOString() });
    deps.logger.info({ stack: stack.name, deployment_id: deploymentId, commit }, 'deploy planned; waiting for approval');
    return { approval: { deploymentId, commit, trigger: request.trigger } };
  }

  async verifyRollout({ stack, project, deploymentId, commit, outcome }: VerifyInput): Promise<VerifyOutput> {
    const { deps } = this;
    const verdict = await deps.engine.verify(project, stack.name, outcome.changes.map((c) => c.service));
    if (!verdict.healthy) {
      deps.logger.warn({ stack: stack.name, deployment_id: deploymentId, problems: verdict.error }, 'verification after the rollout failed');
      return verdict;
    }
    await deps.deployments.finish(deploymentId, { status: 'completed' });
    await deps.stacks.updateStatus(stack.id, { git_commit: commit, last_deployed_at: new Date().toISOString() });
    // Verified: only now do the old containers kept aside for a rollback go. A failure here
    // leaves them stopped; the next cycle sees them as extra and removes them.
    await deps.engine.removeReplaced(stack.name, await deps.snapshots.load(deploymentId), this.progressOf(stack, deploymentId))
      .catch((error: unknown) => deps.logger.warn({ stack: stack.name, deployment_id: deploymentId, err: errorMessage(error) }, 'removing replaced containers failed'));
    return verdict;
  }

  /** The one rollback path: restores the persisted snapshots (rolling_back, and after a crash). */
  async rollBack({ stackId, stackName, restore }: RollBackInput): Promise<void> {
    const { deps } = this;
    const { deploymentId } = restore;
    const snapshots = await deps.snapshots.load(deploymentId);
    const onProgress = this.progressOf({ id: stackId, name: stackName }, deploymentId);
    onProgress({ service: '', step: 'rollback', message: `restoring ${snapshots.length} container(s) from their snapshots: ${restore.reason.split('\n')[0]}` });
    try {
      await deps.engine.restore(stackName, deploymentId, snapshots, onProgress);
    } catch (error) {
      onProgress({ service: '', step: 'rollback', message: `restoring failed, retried with backoff: ${errorMessage(error)}` });
      throw error;
    }
    await deps.deployments.finish(deploymentId, { status: restore.status, error_message: restore.reason });
  }

  /** Every step of a rollout goes to the deployment's row and to watchers; a failed write is logged, never thrown. */
  private progressOf(stack: { id: string; name: string }, deploymentId: string): (event: ProgressEvent) => void {
    const { deps } = this;
    return (p) => {
      const step = { service: p.service || null, step: p.step, message: p.message };
      deps.deployments.addStep(deploymentId, step)
        .catch((error: unknown) => deps.logger.error({ stack: stack.name, deployment_id: deploymentId, err: errorMessage(error) }, 'could not record a deployment step'));
      deps.bus.publish({ kind: 'deployment', stack_id: stack.id, stack_name: stack.name, deployment_id: deploymentId, ...step, at: new Date().toISOString() });
    };
  }
}
