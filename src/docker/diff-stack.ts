// The whole diffing step in one call, in the order that makes a moved tag visible:
// pull per pull_policy → one actual-state read → drift → plan → health.

import type { ComposeProject } from '../compose/types.ts';
import { readActualState } from './actual-state.ts';
import type { EngineConnection } from './connection.ts';
import { computeDrift } from './drift.ts';
import { pullForDrift } from './drift-pulls.ts';
import { engine } from './engine-errors.ts';
import { planRollout } from './plan.ts';
import { protectOwnContainer } from './self-protection.ts';
import { assessHealth, type StackHealth } from './stack-health.ts';
import type { ActualState, DriftItem, Plan, RegistryAuth } from './types.ts';

export interface DiffRequest {
  serviceFilter?: string[];
  registryAuth?: RegistryAuth[];
  /** false skips pulls (e.g. GET /drift must not hit registries); default true. */
  pull?: boolean;
  /** A rollback to a past deployment: its image ids are what the services should run. */
  pinnedImageIds?: Record<string, string>;
  /** A timer's cycle: the lists are shared with the stacks that read within the same window. */
  sharedRead?: boolean;
}

export interface StackDiff { actual: ActualState; drift: DriftItem[]; plan: Plan; health: StackHealth; pulled: string[] }

export async function diffStack(conn: EngineConnection, project: ComposeProject, stackName: string, request: DiffRequest = {}): Promise<StackDiff> {
  const { serviceFilter } = request;
  const pulled = request.pull === false ? [] : await pullForDrift(conn, project, { stackName, registryAuth: request.registryAuth, serviceFilter });
  const actual = await readStack(conn, stackName, project, request.sharedRead);
  const drift = computeDrift(project, actual, { serviceFilter, pinnedImageIds: request.pinnedImageIds });
  const plan = protectOwnContainer(planRollout(project, actual, drift, { serviceFilter }), conn.ownContainerId);
  return { actual, drift, plan, health: assessHealth(project, actual, serviceFilter), pulled };
}

/** One label-filtered container list (plus the project's networks, volumes and images), or a share of one. */
export function readStack(conn: EngineConnection, stackName: string, project?: ComposeProject, shared = false): Promise<ActualState> {
  const reads = shared ? conn.sharedReads : conn.reads;
  return engine('reading the actual state', { stack: stackName }, () => readActualState(reads, stackName, project));
}
