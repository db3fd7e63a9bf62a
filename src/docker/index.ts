// The Docker layer's public surface (issue 4): actual state, drift, plan, apply with
// verification and rollback from persisted snapshots.
//
// How the stack actor uses it:
//   diffing    diffStack(gateway, project, stack, { serviceFilter, registryAuth, pinnedImageIds })
//              = gateway.pullImages → gateway.readActualState → computeDrift → planRollout → assessHealth
//              (GET /drift and POST /preview: pass pull: false, then toDriftResponse / toPreviewResponse)
//   deploying  applyPlan(gateway, plan, project, ctx): pulls, saves snapshots through ctx.snapshots
//              BEFORE the first mutation, rolls out level by level, verifies each replica, and on a
//              failure rolls back itself per failure_action → 'completed' | 'rolled_back' | 'failed'
//   verifying  verifyServices(gateway, project, stack, changedServices) (a second look; apply verified)
//   recovery   rollBack(gateway, persistedSnapshots, { stackName, deploymentId })

export { createDockerGateway } from './gateway.ts';
export type { DockerGateway, PullReport, PullRequest } from './gateway.ts';
export { computeDrift } from './drift.ts';
export type { DriftOptions } from './drift.ts';
export { planRollout } from './plan.ts';
export type { PlanOptions } from './plan.ts';
export { applyPlan, describeChanges } from './apply.ts';
export { rollBack } from './rollback-api.ts';
export { diffStack } from './diff-stack.ts';
export type { DiffRequest, StackDiff } from './diff-stack.ts';
export { assessHealth, verifyServices } from './stack-health.ts';
export type { StackHealth } from './stack-health.ts';
export type { RollbackContext } from './rollback.ts';
export { toDriftResponse, toPreviewResponse } from './api-shapes.ts';
export { LABEL, stackFilter } from './labels.ts';
export { toActualContainer } from './actual-state.ts';
export type { Logger } from './logger.ts';
export type * from './types.ts';
