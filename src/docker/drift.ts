// Drift: what differs between the compose project (git) and the engine (actual state).
// Pure: no I/O. Kinds per docs/architecture.md (Drift kinds): missing, image_mismatch, stopped,
// unhealthy, extra, config_changed, and missing networks / volumes. Exit 0 of a job is not drift.

import type { ComposeProject, ComposeService } from '../compose/types.ts';
import { containerName } from './labels.ts';
import { normaliseReference } from './images-ref.ts';
import { isJob, selectServices } from './service-rules.ts';
import type { ActualContainer, ActualState, DriftItem } from './types.ts';

export interface DriftOptions {
  serviceFilter?: string[];
  /** service → image id expected instead of what the tag resolves to (a rollback to a past deployment). */
  pinnedImageIds?: Record<string, string>;
}

export function computeDrift(project: ComposeProject, actual: ActualState, opts: DriftOptions = {}): DriftItem[] {
  const selected = selectServices(project, opts.serviceFilter);
  const items: DriftItem[] = [];
  for (const service of selected) {
    const own = actual.containers.filter((c) => c.service === service.name);
    const expectedId = opts.pinnedImageIds?.[service.name] ?? actual.images[service.image];
    items.push(...serviceDrift(project, service, own, expectedId));
  }
  items.push(...undeclaredServiceDrift(project, actual.containers));
  items.push(...resourceDrift(project, actual));
  return items;
}

/** The container that is replica `number`: the one with the expected name, else the newest running. */
export function primaryReplica(candidates: ActualContainer[], expectedName: string): ActualContainer | undefined {
  const live = candidates.filter((c) => !c.keptAside);
  return live.find((c) => c.name === expectedName)
    ?? [...live].sort((a, b) => rank(b) - rank(a) || b.createdAt.localeCompare(a.createdAt))[0];
}

const rank = (c: ActualContainer): number => (c.state === 'running' ? 1 : 0);

function serviceDrift(
  project: ComposeProject, service: ComposeService, own: ActualContainer[], expectedId: string | undefined,
): DriftItem[] {
  const items: DriftItem[] = [];
  const primaries = new Set<string>();
  for (let n = 1; n <= service.replicas; n++) {
    const name = containerName(project.name, service.name, n, service.containerName);
    const primary = primaryReplica(own.filter((c) => c.number === n), name);
    if (!primary) {
      items.push(item(service.name, n, 'missing', service.image, 'missing', `replica ${n} (${name}) does not exist`));
      continue;
    }
    primaries.add(primary.id);
    items.push(...replicaDrift(project, service, primary, expectedId));
  }
  for (const c of own.filter((c) => !primaries.has(c.id))) items.push(extraReplica(service.replicas, c));
  return items;
}

function replicaDrift(
  project: ComposeProject, service: ComposeService, c: ActualContainer, localId: string | undefined,
): DriftItem[] {
  const at = (kind: DriftItem['kind'], expected: string, actual: string, message: string): DriftItem =>
    ({ ...item(service.name, c.number, kind, expected, actual, message), containerId: c.id });
  const items: DriftItem[] = [];
  if (normaliseReference(c.image) !== normaliseReference(service.image)) {
    items.push(at('image_mismatch', service.image, c.image, `${c.name} runs ${c.image}, git declares ${service.image}`));
  } else if (localId && localId !== c.imageId) {
    items.push(at('image_mismatch', localId, c.imageId, `${service.image} now resolves to ${short(localId)}, ${c.name} runs ${short(c.imageId)}`));
  } else if (c.configHash !== service.configHash) {
    items.push(at('config_changed', service.configHash, c.configHash, `configuration of ${service.name} changed (config hash)`));
  }
  const stateItem = stateDrift(project, service, c);
  if (stateItem) items.push(at(stateItem.kind, stateItem.expected, stateItem.actual, stateItem.message));
  return items;
}

type StateFinding = Pick<DriftItem, 'kind' | 'expected' | 'actual' | 'message'>;

function stateDrift(project: ComposeProject, service: ComposeService, c: ActualContainer): StateFinding | undefined {
  if (c.state === 'running') {
    if (c.health !== 'unhealthy') return undefined;
    return { kind: 'unhealthy', expected: 'healthy', actual: 'unhealthy', message: `${c.name} is unhealthy` };
  }
  if (c.state === 'restarting') {
    return { kind: 'unhealthy', expected: 'running', actual: 'restarting', message: `${c.name} keeps restarting: ${c.statusText}` };
  }
  if (c.state === 'exited' && c.exitCode === 0 && isJob(project, service)) return undefined;
  return { kind: 'stopped', expected: 'running', actual: c.state, message: `${c.name} is ${c.statusText || c.state}` };
}

function extraReplica(replicas: number, c: ActualContainer): DriftItem {
  const why = c.keptAside ? 'was left aside by an interrupted rollout'
    : c.number > replicas || c.number < 1 ? `is beyond the ${replicas} declared replica(s)`
    : 'duplicates another container of the same replica';
  return { ...item(c.service, c.number, 'extra', 'absent', c.name, `${c.name} ${why}`), containerId: c.id };
}

function undeclaredServiceDrift(project: ComposeProject, containers: ActualContainer[]): DriftItem[] {
  return containers
    .filter((c) => !project.services[c.service])
    .map((c) => ({
      ...item(c.service, c.number, 'extra', 'absent', c.name, `service "${c.service}" is no longer declared; ${c.name} is extra`),
      containerId: c.id,
    }));
}

function resourceDrift(project: ComposeProject, actual: ActualState): DriftItem[] {
  const items: DriftItem[] = [];
  for (const n of Object.values(project.networks)) {
    if (actual.networks[n.name]) continue;
    const note = n.external ? 'external network must be created by the operator' : 'will be created';
    items.push({ service: `network:${n.key}`, kind: 'missing', expected: n.name, actual: 'missing', message: `network ${n.name} does not exist (${note})`, resource: 'network' });
  }
  for (const v of Object.values(project.volumes)) {
    if (actual.volumes[v.name]) continue;
    const note = v.external ? 'external volume must be created by the operator' : 'will be created';
    items.push({ service: `volume:${v.key}`, kind: 'missing', expected: v.name, actual: 'missing', message: `volume ${v.name} does not exist (${note})`, resource: 'volume' });
  }
  return items;
}

function item(service: string, number: number, kind: DriftItem['kind'], expected: string, actual: string, message: string): DriftItem {
  return { service, kind, expected, actual, message, number, resource: 'container' };
}

const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
