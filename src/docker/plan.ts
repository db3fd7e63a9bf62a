// Plan: per service the action that converges it (create, recreate, start, remove, none),
// why, and the rollout order it will get; grouped in dependency levels (depth in depends_on;
// for the preview, the rollout follows depends_on itself). Pure: no I/O. Undeclared services are removed last; volumes never.

import type { ComposeProject, ComposeService } from '../compose/types.ts';
import { containerName } from './labels.ts';
import { dependencyLevels, rolloutOrder, selectServices } from './service-rules.ts';
import type { ActualState, DriftItem, Plan, PlannedAction, ReplicaStep, ServiceAction, ActualContainer } from './types.ts';

export interface PlanOptions { serviceFilter?: string[] }

const RECREATE_KINDS = new Set<DriftItem['kind']>(['image_mismatch', 'config_changed', 'unhealthy']);
/** Strongest first: a service's action is the strongest of its replicas'. */
const STRENGTH: ServiceAction[] = ['recreate', 'create', 'start', 'remove', 'none'];

export function planRollout(project: ComposeProject, actual: ActualState, drift: DriftItem[], opts: PlanOptions = {}): Plan {
  const selected = selectServices(project, opts.serviceFilter);
  const containers = new Map(actual.containers.map((c) => [c.id, c]));
  const actions = selected.map((s) => planService(project, s, drift.filter((d) => d.service === s.name && d.resource === 'container'), containers));
  const removals = planRemovals(project, actual, drift);
  const levels = groupByLevel(selected, actions);
  if (removals.length > 0) levels.push(removals);
  const missingNetworks = drift.filter((d) => d.resource === 'network').map((d) => d.expected);
  const missingVolumes = drift.filter((d) => d.resource === 'volume').map((d) => d.expected);
  return {
    stackName: actual.stackName,
    project: project.name,
    levels,
    actions: [...actions, ...removals],
    missingNetworks,
    missingVolumes,
    hasChanges: levels.length > 0 || missingNetworks.length > 0 || missingVolumes.length > 0,
  };
}

function planService(project: ComposeProject, service: ComposeService, drift: DriftItem[], containers: Map<string, ActualContainer>): PlannedAction {
  const replicas: ReplicaStep[] = [];
  for (let n = 1; n <= service.replicas; n++) {
    const mine = drift.filter((d) => d.number === n && d.kind !== 'extra');
    const containerId = mine.find((d) => d.containerId)?.containerId;
    const name = containerName(project.name, service.name, n, service.containerName);
    const anonymousVolumes = containerId ? containers.get(containerId)?.anonymousVolumes ?? [] : [];
    replicas.push({ number: n, action: replicaAction(mine), containerId, containerName: name, anonymousVolumes });
  }
  for (const extra of drift.filter((d) => d.kind === 'extra')) {
    replicas.push({ number: extra.number ?? 0, action: 'remove', containerId: extra.containerId, containerName: extra.actual });
  }
  const { order, reason: orderReason } = rolloutOrder(service, replicas.some((r) => r.action === 'recreate' && (r.anonymousVolumes?.length ?? 0) > 0));
  const action = strongest(replicas.map((r) => r.action));
  const relevant = action === 'none' ? [] : drift;
  return {
    service: service.name,
    action,
    reason: relevant.length === 0 ? 'in sync' : relevant.map((d) => `${d.kind}: ${d.message}`).join('; '),
    expected: summarise(relevant, 'expected') || service.image,
    actual: summarise(relevant, 'actual') || service.image,
    order, orderReason, replicas,
  };
}

function replicaAction(drift: DriftItem[]): ServiceAction {
  if (drift.some((d) => d.kind === 'missing')) return 'create';
  if (drift.some((d) => RECREATE_KINDS.has(d.kind))) return 'recreate';
  if (drift.some((d) => d.kind === 'stopped')) return 'start';
  return 'none';
}

function strongest(actions: ServiceAction[]): ServiceAction {
  return STRENGTH.find((a) => actions.includes(a)) ?? 'none';
}

/** Containers of services the project no longer declares: one `remove` per service. */
function planRemovals(project: ComposeProject, actual: ActualState, drift: DriftItem[]): PlannedAction[] {
  const extras = drift.filter((d) => d.kind === 'extra' && d.resource === 'container' && !project.services[d.service]);
  const services = [...new Set(extras.map((d) => d.service))];
  return services.map((service) => {
    const mine = extras.filter((d) => d.service === service);
    const image = actual.containers.find((c) => c.service === service)?.image ?? '';
    return {
      service, action: 'remove' as const,
      reason: `extra: service "${service}" is no longer declared`,
      expected: 'absent', actual: image,
      order: 'stop-first' as const, orderReason: 'removal',
      replicas: mine.map((d) => ({ number: d.number ?? 0, action: 'remove' as const, containerId: d.containerId, containerName: d.actual })),
    };
  });
}

function groupByLevel(selected: ComposeService[], actions: PlannedAction[]): PlannedAction[][] {
  const depth = dependencyLevels(selected);
  const levels: PlannedAction[][] = [];
  for (const action of actions) {
    if (action.action === 'none') continue;
    const level = depth.get(action.service) ?? 0;
    (levels[level] ??= []).push(action);
  }
  return levels.filter((l) => l && l.length > 0);
}

function summarise(drift: DriftItem[], field: 'expected' | 'actual'): string {
  return [...new Set(drift.map((d) => d[field]))].join(', ');
}
