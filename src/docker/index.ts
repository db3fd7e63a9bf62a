// The Docker layer's public surface (issue 4): actual state, drift, plan, apply with
// verification and rollback from persisted snapshots.

export { createDockerGateway } from './gateway.ts';
export type { DockerGateway, PullReport, PullRequest } from './gateway.ts';
export { computeDrift } from './drift.ts';
export type { DriftOptions } from './drift.ts';
export { planRollout } from './plan.ts';
export type { PlanOptions } from './plan.ts';
export { applyPlan, describeChanges } from './apply.ts';
export { rollBack } from './rollback-api.ts';
export { toDriftResponse, toPreviewResponse } from './api-shapes.ts';
export { LABEL } from './labels.ts';
export type { Logger } from './logger.ts';
export type * from './types.ts';
