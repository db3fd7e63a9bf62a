// depends_on conditions, waited for before a service starts: service_started (running),
// service_healthy (healthy), service_completed_successfully (exited 0). Checked on the
// dependency's containers again at each event of that service (StackEvents), every second
// while the event stream is down. A failure of a `required: false` dependency is only a
// warning, as in compose.

import type Dockerode from 'dockerode';
import type { ComposeProject, ComposeService, DependsOnCondition } from '../compose/types.ts';
import { DockerError } from '../errors.ts';
import { toActualContainer } from './actual-state.ts';
import { isEngineUnavailable } from './engine-errors.ts';
import { LABEL } from './labels.ts';
import type { Logger } from './logger.ts';
import type { StackEvents } from './stack-events.ts';
import type { ActualContainer } from './types.ts';

export interface DependencyWait {
  docker: Dockerode; events: StackEvents; logger: Logger; stackName: string; project: ComposeProject; timeoutMs: number;
  /** True once the rollout stopped (another service failed): the wait is given up. */
  stopped: () => boolean;
  /** True when this deployment just started every new container of the dependency: service_started holds. */
  startedHere?: (dependency: string) => boolean;
}

/** The wait was given up because the rollout stopped; not a failure of its own. */
export class DependencyWaitAbandoned extends DockerError {
  constructor(stack: string, service: string) {
    super(`stack ${stack}, service ${service}: not started, the rollout stopped`, 'rollout_stopped');
  }
}

export async function waitForDependencies(w: DependencyWait, service: ComposeService): Promise<void> {
  await Promise.all(Object.entries(service.dependsOn).map(async ([dependency, dep]) => {
    if (!w.project.services[dependency]) return;
    if (dep.condition === 'service_started' && w.startedHere?.(dependency)) return; // no need to ask the engine
    try {
      await waitForCondition(w, dependency, dep.condition);
    } catch (error) {
      if (w.stopped()) throw new DependencyWaitAbandoned(w.stackName, service.name);
      if (isEngineUnavailable(error)) throw error; // the engine failed, not the dependency
      if (dep.required) throw new DockerError(`stack ${w.stackName}, service ${service.name}: dependency ${(error as Error).message}`, 'dependency_failed');
      w.logger.warn({ stack: w.stackName, service: service.name, dependency }, `optional dependency not met: ${(error as Error).message}`);
    }
  }));
}

type Check = { met: true } | { met: false; final: boolean; why: string };

export function conditionMet(condition: DependsOnCondition, containers: ActualContainer[]): Check {
  const live = containers.filter((c) => !c.keptAside);
  if (live.length === 0) return { met: false, final: false, why: 'has no container' };
  if (condition === 'service_completed_successfully') {
    const failed = live.find((c) => c.state === 'exited' && c.exitCode !== 0);
    if (failed) return { met: false, final: true, why: `${failed.name} exited with code ${failed.exitCode}` };
    return live.every((c) => c.state === 'exited') ? { met: true } : { met: false, final: false, why: 'has not completed' };
  }
  if (condition === 'service_healthy') {
    const unhealthy = live.find((c) => c.health === 'unhealthy');
    if (unhealthy) return { met: false, final: true, why: `container ${unhealthy.name} is unhealthy` };
    if (live.some((c) => c.health === 'none' && c.state === 'running')) return { met: false, final: true, why: 'has no healthcheck configured' };
    return live.every((c) => c.health === 'healthy') ? { met: true } : { met: false, final: false, why: 'is not healthy yet' };
  }
  const started = live.some((c) => c.state === 'running' || (c.state === 'exited' && c.exitCode === 0));
  return started ? { met: true } : { met: false, final: false, why: 'is not running' };
}

async function waitForCondition(w: DependencyWait, dependency: string, condition: DependsOnCondition): Promise<void> {
  const deadline = Date.now() + w.timeoutMs;
  let woken = false;
  for (;;) {
    w.events.assertEngineAnswers();
    const version = w.events.versionOf(dependency);
    const list = await w.docker.listContainers({ all: true, filters: { label: [`${LABEL.stack}=${w.stackName}`, `${LABEL.service}=${dependency}`] } });
    const check = conditionMet(condition, list.map(toActualContainer));
    if (check.met) return;
    if (w.stopped()) throw new DockerError(`${dependency}: the rollout stopped`, 'rollout_stopped');
    if (check.final || Date.now() > deadline) throw new DockerError(`${dependency} ${check.why} (${condition})`, 'dependency_failed');
    await w.events.changedSince(version, Math.min(nextCheckMs(w.events.live, woken), deadline - Date.now()), dependency);
    woken = w.events.versionOf(dependency) !== version;
  }
}

/**
 * The engine sends an event a moment before its container list shows it (a die before
 * "Exited (0)"), so a check right after an event is repeated shortly; otherwise the next event
 * is awaited, with a slow check as a safety net, and every second while the stream is down.
 */
function nextCheckMs(live: boolean, woken: boolean): number {
  if (!live) return 1_000;
  return woken ? 200 : 2_000;
}
