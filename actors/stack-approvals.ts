import { ConflictError, NotFoundError } from '../src/errors.ts';
import type { Logger } from '../src/logger.ts';
import type { DeploymentStore } from '../persistence/deployment-store.ts';
import type { DeploymentRecord, StackRecord } from '../persistence/entities/records.ts';
import type { StackCommands } from './stack-commands.ts';
import type { Supervisor } from './supervisor.ts';

// Approve or reject the plan a requires_approval stack waits with. Both answer only while the
// stack's actor waits with exactly that deployment: while it looks at git again (a timer, a
// push), the plan may be about to be replaced, so the caller is told to try again.

export interface StackApprovalDeps {
  commands: Pick<StackCommands, 'get'>;
  deployments: DeploymentStore;
  supervisor: Supervisor;
  logger: Logger;
}

export class StackApprovals {
  constructor(private readonly deps: StackApprovalDeps) {}

  /** Deploys the waiting plan's commit under the same deployment (in_progress → completed or rolled_back). */
  async approve(idOrName: string, deploymentId: string, by: string): Promise<{ stack: StackRecord; deployment: DeploymentRecord }> {
    const { stack, deployment } = await this.waitingDeployment(idOrName, deploymentId);
    const { deployments, supervisor } = this.deps;
    // Checked again with no await before the event: the actor must take it as it stands.
    this.requireWaiting(stack, deploymentId);
    supervisor.send(stack.id, { type: 'APPROVE', deploymentId });
    await deployments.addStep(deploymentId, { service: null, step: 'approved', message: `approved by ${by}` });
    this.deps.logger.info({ stack: stack.name, deployment_id: deploymentId, by }, 'deploy approved');
    return { stack, deployment };
  }

  /** Ends the waiting plan `rejected` (the reason in error_message); nothing is deployed. */
  async reject(idOrName: string, deploymentId: string, by: string, reason?: string): Promise<DeploymentRecord> {
    const { stack, deployment } = await this.waitingDeployment(idOrName, deploymentId);
    const { deployments, supervisor } = this.deps;
    this.requireWaiting(stack, deploymentId);
    supervisor.send(stack.id, { type: 'REJECT', deploymentId });
    await deployments.end({ deploymentId, status: 'rejected', message: reason || `rejected by ${by}`, commit: deployment.git_commit });
    this.deps.logger.info({ stack: stack.name, deployment_id: deploymentId, by }, 'deploy rejected');
    return (await deployments.get(deploymentId))!;
  }

  /** Every deployment waiting for approval, oldest first. */
  list(): Promise<DeploymentRecord[]> {
    return this.deps.deployments.listAwaitingApproval();
  }

  private async waitingDeployment(idOrName: string, deploymentId: string): Promise<{ stack: StackRecord; deployment: DeploymentRecord }> {
    const stack = await this.deps.commands.get(idOrName);
    const deployment = await this.deps.deployments.get(deploymentId);
    if (!deployment || deployment.stack_id !== stack.id) throw new NotFoundError(`deployment "${deploymentId}" of stack "${stack.name}" not found`);
    if (deployment.status !== 'awaiting_approval') {
      throw new ConflictError(`deployment "${deploymentId}" of stack "${stack.name}" is ${deployment.status}, not awaiting approval`);
    }
    return { stack, deployment };
  }

  /** The stack's actor waits with exactly this deployment (not re-planning, not another plan). */
  private requireWaiting(stack: StackRecord, deploymentId: string): void {
    const snapshot = this.deps.supervisor.stackSnapshot(stack.id);
    const waits = snapshot?.matches({ awaiting_approval: 'waiting' }) && snapshot.context.approval?.deploymentId === deploymentId;
    if (!waits) {
      throw new ConflictError(`stack "${stack.name}" is checking git again (a newer commit may replace deployment "${deploymentId}"); try again in a moment`);
    }
  }
}
