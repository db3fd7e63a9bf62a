// The Docker layer's public surface: one engine (engine.ts), its seam types, and the pure
// functions (drift, plan) that tests and benchmarks use on their own.

export { createDockerEngine } from './engine.ts';
export type { DockerEngine } from './engine.ts';
export type { ContainerDetail, ContainerStats, LogOptions } from './container-operations.ts';
export type { ResourceLists, StackImage, StackNetwork, StackVolume } from './stack-resources.ts';
export type { ResourceOwnership, ResourceQuery } from './resource-owners.ts';
export type { DiffRequest, StackDiff } from './diff-stack.ts';
export type { StackHealth } from './stack-health.ts';
export { computeDrift } from './drift.ts';
export type { DriftOptions } from './drift.ts';
export { planRollout } from './plan.ts';
export { describeChanges } from './apply.ts';
export type { PlanOptions } from './plan.ts';
export { isEngineUnavailable } from './engine-errors.ts';
export { LABEL, stackFilter } from './labels.ts';
export type { Logger } from './logger.ts';
export type * from './types.ts';
