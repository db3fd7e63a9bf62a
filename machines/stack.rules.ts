import type { StateValue } from 'xstate';
import { errorMessage } from '../src/errors.ts';
import {
  STACK_STATES, type ApplyOutput, type Cycle, type CycleRequest, type DeploymentEnd, type PlanOutput, type RestoreJob, type StackContext,
  type StackEvent, type StackState,
} from './stack.types.ts';

// Pure rules of the stack machine: how requests become cycles, merge while the stack is busy and
// join a cycle already under way; how a deployment ends when nothing deploys or a step fails;
// what a restore is told; the public name of a state.

/** Trigger precedence when requests are merged: an explicit rollback wins over a deploy, etc. */
const triggerRank = { reconcile: 0, webhook: 1, manual: 2, rollback: 3 } as const;

export function mergeRequests(waiting: CycleRequest | null, incoming: CycleRequest): CycleRequest {
  if (!waiting) return incoming;
  const stronger = triggerRank[incoming.trigger] >= triggerRank[waiting.trigger] ? incoming : waiting;
  return {
    ...stronger,
    deploy: waiting.deploy || incoming.deploy,
    deploymentId: stronger.deploymentId ?? waiting.deploymentId ?? incoming.deploymentId,
  };
}

/** Two promised deployments merged into one cycle: the one left over says where its work went. */
export function coalescedSettlement(waiting: CycleRequest | null, incoming: CycleRequest | null): DeploymentEnd | undefined {
  if (!incoming) return undefined;
  const merged = mergeRequests(waiting, incoming);
  const dropped = [waiting?.deploymentId, incoming.deploymentId].find((id) => id !== undefined && id !== merged.deploymentId);
  if (!dropped) return undefined;
  return { deploymentId: dropped, status: 'skipped', message: `coalesced into deployment ${merged.deploymentId} (${merged.trigger})`, commit: null };
}

export function requestFor(event: StackEvent, context: Pick<StackContext, 'autoDeploy'>): CycleRequest | null {
  switch (event.type) {
    case 'DEPLOY':
      return { trigger: 'manual', deploy: true, deploymentId: event.deploymentId };
    case 'WEBHOOK_PUSH':
      return { trigger: 'webhook', deploy: context.autoDeploy, deploymentId: event.deploymentId };
    case 'SYNC':
    case 'STACK_UPDATED':
      return { trigger: 'reconcile', deploy: context.autoDeploy };
    case 'ROLLBACK':
      return { trigger: 'rollback', deploy: true, deploymentId: event.deploymentId, rollbackTo: event.rollbackTo };
    default:
      return null;
  }
}

/**
 * An operator's deploy that arrives while a cycle is still fetching or diffing joins it: that
 * cycle reads git and deploys what differs, so a second cycle would only find nothing to do.
 * A rollback cycle deploys an old commit and is never joined.
 */
export function joinsCurrentCycle(cycle: Cycle | null, event: StackEvent): boolean {
  return event.type === 'DEPLOY' && cycle !== null && cycle.request.trigger !== 'rollback' && !cycle.request.approvedCommit;
}

/** Whether a planned cycle deploys: an operator's request or an approved plan always, auto_deploy otherwise. */
export function shouldDeploy(context: StackContext, output: PlanOutput): boolean {
  const request = context.cycle?.request;
  if (!output.plan.hasChanges || !request) return false;
  if (request.approvedCommit) return true;
  if (request.deploy && (request.trigger === 'manual' || request.trigger === 'rollback')) return true;
  // Automatic deploys never retry a commit that was already rolled back.
  return context.autoDeploy && context.commit !== context.failedCommit;
}

/** A deploy of a requires_approval stack waits for an operator; rollbacks and approved plans do not. */
export function needsApproval(context: StackContext, output: PlanOutput): boolean {
  const request = context.cycle?.request;
  if (!context.requiresApproval || !request || request.trigger === 'rollback' || request.approvedCommit) return false;
  return shouldDeploy(context, output);
}

/**
 * A cycle that runs while a plan waits leaves it waiting when it would deploy nothing, or when
 * it is a timer's (no promised deployment) that found the same commit: no churn of rows. Any
 * other deploy (a newer commit, a push, an operator's deploy, a rollback) replaces it.
 */
export function keepsApproval(context: StackContext, output: PlanOutput): boolean {
  const { approval, cycle } = context;
  if (!approval || !cycle) return false;
  if (!shouldDeploy(context, output)) return true;
  const sameCommitTimer = cycle.request.trigger === 'reconcile' && !cycle.request.deploymentId && context.commit === approval.commit;
  return sameCommitTimer && context.requiresApproval;
}

/** The waiting plan a deploying cycle replaces ends skipped, naming what replaced it. */
export function replacedApproval(context: StackContext): DeploymentEnd | undefined {
  const { approval, cycle } = context;
  if (!approval) return undefined;
  const by = cycle?.request.deploymentId ? `deployment ${cycle.request.deploymentId}` : 'a newer deploy';
  const message = `replaced by ${by} (${cycle?.request.trigger ?? 'reconcile'}, commit ${context.commit?.slice(0, 12)}) before it was approved`;
  return { deploymentId: approval.deploymentId, status: 'skipped', message, commit: approval.commit };
}

/** The waiting plan of a deleted stack ends skipped. */
export function approvalDeleted(context: StackContext): DeploymentEnd | undefined {
  const { approval } = context;
  return approval ? { deploymentId: approval.deploymentId, status: 'skipped', message: 'the stack was deleted before the plan was approved', commit: approval.commit } : undefined;
}

export function joinCycle(cycle: Cycle, request: CycleRequest): Cycle {
  return {
    ...cycle,
    request: {
      ...cycle.request,
      trigger: triggerRank[request.trigger] > triggerRank[cycle.request.trigger] ? request.trigger : cycle.request.trigger,
      deploy: true,
      deploymentId: cycle.request.deploymentId ?? request.deploymentId,
    },
  };
}

/** How a cycle that deploys nothing settles the deployment it was promised, if any. */
export function settlementOf(context: StackContext, hasChanges: boolean): DeploymentEnd | undefined {
  const deploymentId = context.cycle?.request.deploymentId;
  if (!deploymentId) return undefined;
  const commit = context.commit;
  if (!hasChanges) return { deploymentId, status: 'completed', message: 'nothing to change: the containers match git', commit };
  const why = !context.autoDeploy
    ? 'auto_deploy is off: the drift is recorded and nothing was deployed; POST …/deploy deploys it'
    : `commit ${commit?.slice(0, 12)} was rolled back before; auto-deploy leaves it alone until git moves on or an operator deploys it`;
  return { deploymentId, status: 'skipped', message: why, commit };
}

/** The public state name of a snapshot value: the innermost state an operator knows. */
export function publicState(value: StateValue): StackState {
  let found: StackState = 'idle';
  let node: StateValue | undefined = value;
  while (node !== undefined) {
    const key: string = typeof node === 'string' ? node : Object.keys(node)[0]!;
    if ((STACK_STATES as readonly string[]).includes(key)) found = key as StackState;
    node = typeof node === 'string' ? undefined : node[key];
  }
  return found;
}


export function restoreAfterApply(output: ApplyOutput): RestoreJob {
  const { outcome } = output;
  const reason = [outcome.error, outcome.failedLogs].filter(Boolean).join('\n') || 'the deployment failed';
  return { deploymentId: output.deploymentId, status: 'rolled_back', reason, blameRelease: !outcome.engineFailure };
}

/** A step failed before anything was deployed: the deployment promised to this cycle (joined requests included) fails with it. */
export function requestFailed(context: StackContext, error: unknown): DeploymentEnd | undefined {
  const deploymentId = context.cycle?.request.deploymentId;
  return deploymentId ? { deploymentId, status: 'failed', message: errorMessage(error), commit: context.commit } : undefined;
}

/** A failure that is not restored (nothing changed yet, or update_config.failure_action pause / continue). */
export function failedEnd(context: StackContext, output: ApplyOutput): DeploymentEnd {
  const { outcome } = output;
  const kept = outcome.mutated ? ` (failure_action ${outcome.failureAction}: what was changed stays as it is)` : ' (nothing was changed)';
  const message = [`${outcome.error ?? 'the deployment failed'}${kept}`, outcome.failedLogs].filter(Boolean).join('\n');
  return { deploymentId: output.deploymentId, status: 'failed', message, commit: context.commit };
}

export function restoreAfter(context: StackContext, reason: string, blameRelease: boolean): RestoreJob {
  const logs = context.cycle?.outcome?.failedLogs;
  return { deploymentId: context.deploymentId!, status: 'rolled_back', reason: logs ? `${reason}\n${logs}` : reason, blameRelease };
}

/** The promised deployment a queued request leaves without a cycle ends as coalesced. */
export function coalesced({ context, event }: { context: StackContext; event: StackEvent }): DeploymentEnd | undefined {
  return coalescedSettlement(context.pending, requestFor(event, context));
}

export function isOperatorRequest(request: CycleRequest | null): boolean {
  return request !== null && (request.trigger === 'manual' || request.trigger === 'rollback');
}

/** A push (or timer) request that meets a paused stack: its promised deployment ends as skipped. */
export function skippedWhilePaused(request: CycleRequest | null): DeploymentEnd | undefined {
  if (!request?.deploymentId || isOperatorRequest(request)) return undefined;
  return { deploymentId: request.deploymentId, status: 'skipped', message: 'the stack is paused: pushes are not deployed until POST …/resume', commit: null };
}
