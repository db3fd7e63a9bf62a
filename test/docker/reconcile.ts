// One reconcile cycle as the stack actor runs it (pull → actual state → drift → plan →
// apply), with an in-memory snapshot store that records when it was written.

import { randomUUID } from 'node:crypto';
import type { ComposeProject } from '../../src/compose/types.ts';
import { applyPlan, computeDrift, createDockerGateway, planRollout } from '../../src/docker/index.ts';
import type { ApplyContext, ApplyResult, Plan, RegistryAuth, ServiceSnapshot } from '../../src/docker/index.ts';
import { docker } from '../support/docker.ts';

export const gateway = createDockerGateway(docker);

export class MemorySnapshotStore {
  readonly saved = new Map<string, ServiceSnapshot[]>();
  async save(deploymentId: string, snapshots: ServiceSnapshot[]): Promise<void> {
    this.saved.set(deploymentId, snapshots);
  }
}

export async function planFor(stackName: string, project: ComposeProject, serviceFilter?: string[]): Promise<Plan> {
  const actual = await gateway.readActualState(stackName, project);
  return planRollout(project, actual, computeDrift(project, actual, { serviceFilter }), { serviceFilter });
}

export interface ReconcileOptions { registryAuth?: RegistryAuth[]; pull?: boolean; store?: MemorySnapshotStore; verifyTimeoutMs?: number }

export async function reconcile(stackName: string, project: ComposeProject, opts: ReconcileOptions = {}): Promise<{ plan: Plan; result: ApplyResult; deploymentId: string }> {
  if (opts.pull) await gateway.pullImages(project, { stackName, registryAuth: opts.registryAuth });
  const plan = await planFor(stackName, project);
  const deploymentId = randomUUID();
  const ctx: ApplyContext = {
    stackName, deploymentId, commit: 'c0ffee', registryAuth: opts.registryAuth,
    snapshots: opts.store ?? new MemorySnapshotStore(), verifyTimeoutMs: opts.verifyTimeoutMs ?? 30_000,
  };
  const result = await applyPlan(gateway, plan, project, ctx);
  return { plan, result, deploymentId };
}
