// One reconcile cycle as the stack actor runs it (pull → actual state → drift → plan → apply
// → verify → remove what was replaced, or restore the snapshots when the apply failed), with an
// in-memory snapshot store that records when it was written.

import { randomUUID } from 'node:crypto';
import type { ComposeProject } from '../../src/compose/types.ts';
import { readActualState } from '../../src/docker/actual-state.ts';
import { directReads } from '../../src/docker/engine-reads.ts';
import { computeDrift, createDockerEngine, planRollout } from '../../src/docker/index.ts';
import type { ActualState, ApplyContext, ApplyResult, Plan, RegistryAuth, ServiceSnapshot } from '../../src/docker/index.ts';
import { docker } from '../support/docker.ts';

export const engine = createDockerEngine(docker);

export class MemorySnapshotStore {
  readonly saved = new Map<string, ServiceSnapshot[]>();
  async save(deploymentId: string, snapshots: ServiceSnapshot[]): Promise<void> {
    this.saved.set(deploymentId, snapshots);
  }
}

export function actualState(stackName: string, project?: ComposeProject): Promise<ActualState> {
  return readActualState(directReads(docker), stackName, project);
}

export async function planFor(stackName: string, project: ComposeProject, serviceFilter?: string[]): Promise<Plan> {
  const actual = await actualState(stackName, project);
  return planRollout(project, actual, computeDrift(project, actual, { serviceFilter }), { serviceFilter });
}

export interface ReconcileOptions { registryAuth?: RegistryAuth[]; pull?: boolean; store?: MemorySnapshotStore; verifyTimeoutMs?: number }

/** How the cycle ended, in the words of the deployment's final status. */
export type CycleResult = Omit<ApplyResult, 'status'> & { status: 'completed' | 'rolled_back' | 'failed' };

export async function reconcile(stackName: string, project: ComposeProject, opts: ReconcileOptions = {}): Promise<{ plan: Plan; result: CycleResult; deploymentId: string }> {
  const { plan } = await engine.diff(project, stackName, { registryAuth: opts.registryAuth, pull: opts.pull ?? false });
  const deploymentId = randomUUID();
  const store = opts.store ?? new MemorySnapshotStore();
  const ctx: ApplyContext = {
    stackName, deploymentId, commit: 'c0ffee', registryAuth: opts.registryAuth, snapshots: store, verifyTimeoutMs: opts.verifyTimeoutMs ?? 30_000,
  };
  return { plan, result: await finishCycle(stackName, project, await engine.apply(plan, project, ctx), store.saved.get(deploymentId) ?? [], deploymentId), deploymentId };
}

/** What the stack machine does with an apply's result: verify and clean up, or restore. */
export async function finishCycle(
  stackName: string, project: ComposeProject, result: ApplyResult, snapshots: ServiceSnapshot[], deploymentId: string,
): Promise<CycleResult> {
  if (result.status === 'applied') {
    const verdict = await engine.verify(project, stackName, result.changes.map((c) => c.service));
    if (verdict.healthy) {
      await engine.removeReplaced(stackName, snapshots);
      return { ...result, status: 'completed' };
    }
    await engine.restore(stackName, deploymentId, snapshots);
    return { ...result, status: 'rolled_back', error: verdict.error };
  }
  if (result.mutated && (result.failureAction === 'rollback' || result.engineFailure)) {
    await engine.restore(stackName, deploymentId, snapshots);
    return { ...result, status: 'rolled_back' };
  }
  return { ...result, status: 'failed' };
}
