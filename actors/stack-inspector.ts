import type { StackContainer, StackDiff } from '../src/docker/index.ts';
import type { AcceleroGitSource } from '../src/git/index.ts';
import type { StackRecord } from '../persistence/entities/records.ts';
import type { DeploymentStore } from '../persistence/deployment-store.ts';
import type { DriftStore } from '../persistence/drift-store.ts';
import type { PolicyViolation } from '../src/policy/index.ts';
import { diffDesiredState, sourceSpecOf, type DesiredStateDeps } from './desired-project.ts';

// Read-only views of a stack (drift, preview, containers): git's desired state against the
// engine's actual state, computed on request, changing nothing on the host.

export interface StackInspectorDeps extends DesiredStateDeps {
  git: AcceleroGitSource;
  drift: DriftStore;
  deployments: DeploymentStore;
}

export class StackInspector {
  constructor(private readonly deps: StackInspectorDeps) {}

  async diff(stack: StackRecord): Promise<{ checkedAt: string; commit: string; diff: StackDiff; violations: PolicyViolation[] }> {
    const { deps } = this;
    // Looking must not take away the files a running deployment bind-mounts.
    const retain = () => deps.deployments.commitsInUse(stack.id);
    const revision = await deps.git.resolve(sourceSpecOf(stack, deps.secrets), { retain });
    // Looking must not change the host: no registry pulls for drift and preview.
    const { diff, violations } = await diffDesiredState(deps, stack, revision, { pull: false, policy: 'report' });
    const checkedAt = new Date().toISOString();
    await deps.drift.record({ stack_id: stack.id, checked_at: checkedAt, has_drift: diff.drift.length > 0, drifts: diff.drift });
    return { checkedAt, commit: revision.commit, diff, violations };
  }

  containers(stack: StackRecord): Promise<StackContainer[]> {
    return this.deps.engine.listContainers(stack.name);
  }
}
