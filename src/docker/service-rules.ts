// Rules about services that drift, plan and rollout share: which services a filter selects,
// which services are one-shot jobs, and which rollout order a service gets.

import type { ComposeProject, ComposeService, RolloutOrder } from '../compose/types.ts';
import { DockerError } from '../errors.ts';

/** The filtered services plus, transitively, everything they depend on (like `docker compose up svc`). */
export function selectServices(project: ComposeProject, serviceFilter?: string[]): ComposeService[] {
  if (!serviceFilter || serviceFilter.length === 0) return Object.values(project.services);
  const selected = new Set<string>();
  const visit = (name: string): void => {
    if (selected.has(name)) return;
    const service = project.services[name];
    if (!service) throw new DockerError(`service filter names "${name}", which project ${project.name} does not declare`, 'unknown_service');
    selected.add(name);
    for (const dependency of Object.keys(service.dependsOn)) visit(dependency);
  };
  serviceFilter.forEach(visit);
  return Object.values(project.services).filter((s) => selected.has(s.name));
}

/**
 * A job runs to completion: `restart: "no"` or `on-failure`, or something waits for it with
 * `service_completed_successfully`. Its exit 0 is success, not drift (docs/architecture.md, Drift kinds).
 */
export function isJob(project: ComposeProject, service: ComposeService): boolean {
  const restart = service.restart || 'no';
  if (restart === 'no' || restart.startsWith('on-failure')) return true;
  return Object.values(project.services).some(
    (other) => other.dependsOn[service.name]?.condition === 'service_completed_successfully',
  );
}

export interface OrderDecision { order: RolloutOrder; reason: string }

/**
 * update_config.order when given, else start-first; stop-first is forced when a second
 * container would collide with the first: a fixed host port, a fixed container_name, or
 * anonymous volumes the replacement takes over (two processes on one data directory — a
 * database image's VOLUME — must not run at once; compose also recreates stop-first).
 */
export function rolloutOrder(service: ComposeService, inheritsAnonymousVolumes = false): OrderDecision {
  if (service.publishesFixedHostPort) {
    return { order: 'stop-first', reason: 'publishes a fixed host port (two containers cannot bind it)' };
  }
  if (service.containerName) {
    return { order: 'stop-first', reason: `has container_name "${service.containerName}"` };
  }
  if (inheritsAnonymousVolumes) {
    return { order: 'stop-first', reason: 'its container has anonymous volumes that the replacement takes over' };
  }
  if (service.updateConfig.order) return { order: service.updateConfig.order, reason: 'deploy.update_config.order' };
  return { order: 'start-first', reason: 'default (no fixed host port, no container_name)' };
}

/** Dependency depth of every given service (0 = depends on nothing selected). Throws on a cycle. */
export function dependencyLevels(services: ComposeService[]): Map<string, number> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const levels = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (name: string): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new DockerError(`depends_on cycle through service "${name}"`, 'dependency_cycle');
    visiting.add(name);
    const deps = Object.keys(byName.get(name)?.dependsOn ?? {}).filter((d) => byName.has(d));
    const level = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(depth));
    visiting.delete(name);
    levels.set(name, level);
    return level;
  };
  services.forEach((s) => depth(s.name));
  return levels;
}
