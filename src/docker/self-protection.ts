// Accelero can manage the stack it runs in. Its own container is never stopped, recreated or
// removed by its own plans (drift, a service no longer declared) nor by a stack's removal:
// doing so would stop the process half-way through the deployment that does it, and a
// container Docker was asked to stop is not brought back by its restart policy.

import type { Plan, PlannedAction, ServiceAction } from './types.ts';

const STRENGTH: ServiceAction[] = ['recreate', 'create', 'start', 'remove', 'none'];

export function ownContainerNote(name: string): string {
  return `Accelero's own container ${name} is never stopped, recreated or removed by Accelero`;
}

function protectedAction(action: PlannedAction, ownId: string): PlannedAction {
  const own = action.replicas.find((r) => r.containerId === ownId && r.action !== 'none');
  if (!own) return action;
  const replicas = action.replicas.map((r) => (r.containerId === ownId ? { ...r, action: 'none' as const } : r));
  const strongest = STRENGTH.find((a) => replicas.some((r) => r.action === a)) ?? 'none';
  return { ...action, action: strongest, replicas, reason: `${action.reason}; ${ownContainerNote(own.containerName)}` };
}

/** The plan without any step on the container `ownId` (undefined: Accelero runs in no container). */
export function protectOwnContainer(plan: Plan, ownId: string | undefined): Plan {
  if (!ownId || !plan.actions.some((a) => a.replicas.some((r) => r.containerId === ownId && r.action !== 'none'))) return plan;
  const mapped = new Map(plan.actions.map((a) => [a, protectedAction(a, ownId)]));
  const levels = plan.levels
    .map((level) => level.map((a) => mapped.get(a) ?? protectedAction(a, ownId)).filter((a) => a.action !== 'none'))
    .filter((level) => level.length > 0);
  return {
    ...plan,
    levels,
    actions: plan.actions.map((a) => mapped.get(a)!),
    hasChanges: levels.length > 0 || plan.missingNetworks.length > 0 || plan.missingVolumes.length > 0,
  };
}
