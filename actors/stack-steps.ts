import { fromPromise } from 'xstate';
import type { ComposeLoader, ComposeProject } from '../src/compose/types.ts';
import type { AcceleroGitSource, SourceRevision } from '../src/git/index.ts';
import { errorMessage } from '../src/errors.ts';
import type { Logger } from '../src/logger.ts';
import { recordDrift } from '../src/metrics.ts';
import type { StepInput } from '../machines/stack.machine.ts';
import type { ApplyOutput, DiffOutput, FetchOutput, RollBackOutput, VerifyOutput } from '../machines/stack.types.ts';
import type { StackRecord } from '../persistence/entities/records.ts';
import type { DeploymentStore } from '../persistence/deployment-store.ts';
import type { SnapshotStore } from '../persistence/snapshot-store.ts';
import type { DriftStore } from '../persistence/drift-store.ts';
import type { StackStore } from '../persistence/stack-store.ts';
import { loadDesiredProject, registryAuthOf, serviceFilterOf, sourceSpecOf } from './desired-project.ts';
import type { DeploySlots } from './deploy-slots.ts';
import type { EventBus } from './event-bus.ts';
import type { ApplyOutcome, DiffResult, ReconcileEngine } from './reconcile-engine.ts';
import type { SecretBox } from '../src/secrets/index.ts';

// The I/O steps the stack machine invokes (fetchSource, planChanges, applyPlan, verifyRollout,
// rollBack), built from their collaborators. What one step learns for the next (the exported
// revision, the loaded project, the plan) stays here, keyed by stack; the machine only
// carries plain facts (commit, deployment id).

export interface StackStepDeps {
  stacks: StackStore;
  deployments: DeploymentStore;
  snapshots: SnapshotStore;
  drift: DriftStore;
  git: AcceleroGitSource;
  compose: ComposeLoader;
  engine: ReconcileEngine;
  secrets: SecretBox;
  slots: DeploySlots;
  bus: EventBus;
  logger: Logger;
  /** Extra environment for interpolation (defaults to the process environment). */
  environment?: Record<string, string | undefined>;
}

interface Workspace {
  revision?: SourceRevision;
  /** The drift last recorded for this stack, as JSON. */
  lastDrift?: string;
  project?: ComposeProject;
  diff?: DiffResult;
  /** A rollback cycle's target image ids (diffed against, then deployed). */
  pinnedImageIds?: Record<string, string>;
  outcome?: ApplyOutcome;
}

export interface StackSteps {
  actors: {
    fetchSource: ReturnType<typeof fromPromise<FetchOutput, StepInput>>;
    planChanges: ReturnType<typeof fromPromise<DiffOutput, StepInput>>;
    applyPlan: ReturnType<typeof fromPromise<ApplyOutput, StepInput>>;
    verifyRollout: ReturnType<typeof fromPromise<VerifyOutput, StepInput>>;
    rollBack: ReturnType<typeof fromPromise<RollBackOutput, StepInput>>;
  };
  forget(stackId: string): void;
}

export function createStackSteps(deps: StackStepDeps): StackSteps {
  const runner = new StackStepRunner(deps);
  /** A deployment the API promised fails with the step's error, so nobody waits on it forever. */
  const failingPromised = <T>(step: (input: StepInput) => Promise<T>) => async ({ input }: { input: StepInput }): Promise<T> => {
    try {
      return await step(input);
    } catch (error) {
      const id = input.deploymentId ?? input.cycle.deploymentId;
      if (id) await deps.deployments.finish(id, { status: 'failed', error_message: errorMessage(error) });
      throw error;
    }
  };
  return {
    actors: {
      fetchSource: fromPromise(failingPromised((input) => runner.fetchSource(input))),
      planChanges: fromPromise(failingPromised((input) => runner.planChanges(input))),
      applyPlan: fromPromise(failingPromised((input) => runner.applyPlan(input))),
      verifyRollout: fromPromise(({ input }: { input: StepInput }) => runner.verifyRollout(input)),
      rollBack: fromPromise(({ input }: { input: StepInput }) => runner.rollBack(input)),
    },
    forget: (stackId) => runner.forget(stackId),
  };
}

class StackStepRunner {
  private readonly workspaces = new Map<string, Workspace>();

  constructor(private readonly deps: StackStepDeps) {}

  forget(stackId: string): void {
    this.workspaces.delete(stackId);
  }

  async fetchSource({ stackId, cycle }: StepInput): Promise<FetchOutput> {
    const { deps } = this;
    const stack = await this.loadStack(stackId);
    const spec = sourceSpecOf(stack, deps.secrets);
    // The export that running containers bind-mount must survive the pruning of old exports.
    const deployed = await deps.deployments.lastCompleted(stackId);
    const retain = deployed?.git_commit ? [deployed.git_commit] : [];
    const ws = this.workspace(stackId);
    if (cycle.rollbackTo) {
      const target = await deps.deployments.get(cycle.rollbackTo);
      if (!target?.git_commit) throw new Error(`deployment ${cycle.rollbackTo} has no commit to roll back to`);
      ws.pinnedImageIds = target.image_ids;
      ws.revision = await deps.git.checkout(spec, target.git_commit, { retain });
    } else {
      ws.pinnedImageIds = undefined;
      // Timer cycles share one ls-remote per repository; an operator's deploy or a push must
      // see the branch as it is now.
      const fresh = cycle.trigger !== 'reconcile';
      ws.revision = await deps.git.resolve(spec, fresh ? { refreshAfter: Date.now(), retain } : { retain });
    }
    return { commit: ws.revision.commit, unchanged: ws.revision.unchanged };
  }

  async planChanges({ stackId, stackName, cycle }: StepInput): Promise<DiffOutput> {
    const { deps } = this;
    const stack = await this.loadStack(stackId);
    const ws = this.workspace(stackId);
    if (!ws.revision) throw new Error('no fetched revision to diff against');
    const project = await loadDesiredProject(deps.compose, stack, ws.revision, deps.environment ?? process.env);
    const diff = await deps.engine.diff(project, stackName, {
      serviceFilter: serviceFilterOf(stack), registryAuth: registryAuthOf(stack, deps.secrets), pinnedImageIds: ws.pinnedImageIds,
    });
    Object.assign(ws, { project, diff, outcome: undefined });
    const checkedAt = await this.recordDiff(stackId, stackName, ws, diff);
    if (!diff.hasChanges && cycle.deploymentId) {
      await deps.deployments.finish(cycle.deploymentId, { status: 'completed', git_commit: ws.revision.commit, changes: [] });
      await deps.deployments.addStep(cycle.deploymentId, { service: null, step: 'noop', message: 'nothing to change: the containers match git' });
    }
    await deps.stacks.updateStatus(stackId, { git_commit: ws.revision.commit, last_reconciled_at: checkedAt });
    return {
      hasChanges: diff.hasChanges,
      syncStatus: diff.hasChanges ? 'out_of_sync' : 'synced',
      healthStatus: diff.health,
      changeCount: diff.actions.filter((a) => a.action !== 'none').length,
    };
  }

  /** Drift goes to the metrics and watchers every cycle, to the database when it changed. */
  private async recordDiff(stackId: string, stackName: string, ws: Workspace, diff: DiffResult): Promise<string> {
    const checkedAt = new Date().toISOString();
    recordDrift(stackName, diff.drift.map((d) => d.type));
    const driftKey = JSON.stringify(diff.drift);
    if (ws.lastDrift !== driftKey) {
      await this.deps.drift.record({ stack_id: stackId, checked_at: checkedAt, has_drift: diff.drift.length > 0, drifts: diff.drift });
      ws.lastDrift = driftKey;
    }
    this.deps.bus.publish({ kind: 'drift', stack_id: stackId, stack_name: stackName, has_drift: diff.drift.length > 0, drift_count: diff.drift.length, at: checkedAt });
    return checkedAt;
  }

  async applyPlan({ stackId, stackName, cycle, commit }: StepInput): Promise<ApplyOutput> {
    const { deps } = this;
    const stack = await this.loadStack(stackId);
    const ws = this.workspace(stackId);
    if (!ws.project || !ws.diff) throw new Error('no plan to apply');
    await deps.slots.acquire(stackId);
    const deploymentId = cycle.deploymentId
      ? (await deps.deployments.markInProgress(cycle.deploymentId, commit), cycle.deploymentId)
      : (await deps.deployments.start(stack, cycle.trigger, commit)).id;
    const log = deps.logger.child({ stack: stackName, deployment_id: deploymentId });
    log.info({ commit, actions: ws.diff.actions.filter((a) => a.action !== 'none').length }, 'deploying');
    const outcome = await deps.engine.apply(ws.project, ws.diff, {
      stackId, stackName, deploymentId, commit,
      registryAuth: registryAuthOf(stack, deps.secrets),
      pinnedImageIds: ws.pinnedImageIds,
      saveSnapshots: (snapshots) => deps.snapshots.save(stackId, deploymentId, snapshots),
      logger: log,
      // The Docker layer logs each step itself (with this deployment's logger).
      onProgress: (p) => {
        void deps.deployments.addStep(deploymentId, p);
        deps.bus.publish({ kind: 'deployment', stack_id: stackId, stack_name: stackName, deployment_id: deploymentId, ...p, at: new Date().toISOString() });
      },
    }).catch(async (error: unknown) => {
      await deps.deployments.finish(deploymentId, { status: 'failed', error_message: errorMessage(error) });
      throw error;
    });
    ws.outcome = outcome;
    return { deploymentId, result: outcome.status === 'completed' ? 'applied' : 'failed', error: outcome.error };
  }

  async verifyRollout({ stackId, stackName, deploymentId, commit }: StepInput): Promise<VerifyOutput> {
    const ws = this.workspace(stackId);
    if (!ws.project || !ws.outcome || !deploymentId) throw new Error('nothing deployed to verify');
    const touched = ws.outcome.changes.map((c) => c.service);
    const verdict = await this.deps.engine.verify(ws.project, stackName, touched);
    if (verdict.healthy) {
      await this.deps.deployments.finish(deploymentId, { status: 'completed', changes: ws.outcome.changes, image_ids: ws.outcome.imageIds });
      await this.deps.stacks.updateStatus(stackId, { git_commit: commit, last_deployed_at: new Date().toISOString() });
    }
    return verdict;
  }

  async rollBack({ stackId, stackName, deploymentId }: StepInput): Promise<RollBackOutput> {
    if (!deploymentId) throw new Error('no deployment to roll back');
    const { deps } = this;
    const outcome = this.workspace(stackId).outcome;
    // The engine rolls back inside apply when a service fails; only a failure found by the
    // final verification still needs the snapshots restored here.
    if (outcome?.status === 'completed') await deps.engine.restore(stackName, deploymentId, await deps.snapshots.load(deploymentId));
    const restored = outcome?.status !== 'failed';
    await deps.deployments.finish(deploymentId, {
      status: restored ? 'rolled_back' : 'failed',
      changes: outcome?.changes ?? [],
      image_ids: outcome?.imageIds ?? {},
      error_message: [outcome?.error, outcome?.failedLogs].filter(Boolean).join('\n') || 'verification failed',
    });
    return { restored, error: outcome?.error };
  }

  private workspace(stackId: string): Workspace {
    let ws = this.workspaces.get(stackId);
    if (!ws) this.workspaces.set(stackId, (ws = {}));
    return ws;
  }

  private async loadStack(stackId: string): Promise<StackRecord> {
    const stack = await this.deps.stacks.find(stackId);
    if (!stack) throw new Error(`stack ${stackId} no longer exists`);
    return stack;
  }
}
