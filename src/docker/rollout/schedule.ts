// The order of a rollout, as compose has it: a service starts as soon as each of its
// dependencies in this deployment has started its new containers and the depends_on condition
// holds (service_started: running, service_healthy: healthy, service_completed_successfully:
// exited 0), not when the dependency's whole level is verified. So the stability windows and
// healthchecks of different services run at the same time. Undeclared services are removed
// last. After a failure that does not say `continue` no further service starts; those under
// way finish their steps (none is left half-done).

import type { FailureAction } from '../../compose/types.ts';
import { DependencyWaitAbandoned, waitForDependencies } from '../dependencies.ts';
import type { Plan, PlannedAction } from '../types.ts';
import { rollOutService } from './service.ts';
import { progress, type RolloutSession } from './session.ts';

export interface ServiceFailure { service: string; error: unknown }

/** Opens once a service of the plan started every new container it starts, or its run ended. */
class StartLatch {
  readonly opened: Promise<void>;
  private pending: number;
  private release!: () => void;
  /** Every new container this service starts has started (not: its run ended first). */
  allStarted = false;
  constructor(action: PlannedAction) {
    this.opened = new Promise((resolve) => { this.release = resolve; });
    this.pending = action.replicas.filter((r) => r.action === 'create' || r.action === 'start' || r.action === 'recreate').length;
    if (this.pending === 0) this.release();
  }
  replicaStarted(): void {
    if (--this.pending > 0) return;
    this.allStarted = true;
    this.release();
  }
  open(): void {
    this.release();
  }
}

/** Which services of the plan have started their containers; the session reports each start here. */
export class StartedServices {
  private readonly latches: Map<string, StartLatch>;
  constructor(actions: PlannedAction[]) {
    this.latches = new Map(actions.map((a) => [a.service, new StartLatch(a)]));
  }
  replicaStarted(service: string): void {
    this.latches.get(service)?.replicaStarted();
  }
  latch(service: string): StartLatch | undefined {
    return this.latches.get(service);
  }
}

interface Run {
  session: RolloutSession;
  started: StartedServices;
  failureAction: (service: string) => FailureAction;
  failures: ServiceFailure[];
  stopped: boolean;
}

/** Runs every action of the plan; returns the failures in the order they happened. */
export async function runPlan(
  session: RolloutSession, plan: Plan, started: StartedServices, failureAction: (service: string) => FailureAction,
): Promise<ServiceFailure[]> {
  const actions = plan.levels.flat();
  const declared = actions.filter((a) => session.project.services[a.service]);
  const undeclared = actions.filter((a) => !session.project.services[a.service]);
  const run: Run = { session, started, failureAction, failures: [], stopped: false };
  await Promise.all(declared.map((action) => runService(run, action)));
  if (!run.stopped) await Promise.all(undeclared.map((action) => runService(run, action)));
  return run.failures;
}

async function runService(run: Run, action: PlannedAction): Promise<void> {
  const { session } = run;
  const ready = dependenciesReady(run, action);
  ready.catch(() => undefined); // awaited by the steps; a step that never awaits it must not leave it unhandled
  try {
    progress(session, action.service, action.action, `${action.action} (${action.order}): ${action.reason}`);
    await rollOutService(session, action, ready);
  } catch (error) {
    if (error instanceof DependencyWaitAbandoned) return;
    // Recorded before the latch opens, so a waiting dependant sees that the rollout stopped.
    run.failures.push({ service: action.service, error });
    if (run.failureAction(action.service) !== 'continue') {
      run.stopped = true;
      session.events.nudge();
    }
  } finally {
    run.started.latch(action.service)?.open();
  }
}

/** Settles when the service may start: its dependencies in this plan started and its depends_on holds. */
async function dependenciesReady(run: Run, action: PlannedAction): Promise<void> {
  const { session } = run;
  const service = session.project.services[action.service];
  const abandoned = () => new DependencyWaitAbandoned(session.ctx.stackName, action.service);
  if (service) {
    await Promise.all(Object.keys(service.dependsOn).map((dependency) => run.started.latch(dependency)?.opened));
    if (run.stopped) throw abandoned();
    await waitForDependencies({
      docker: session.docker, events: session.events, logger: session.logger, stackName: session.ctx.stackName,
      project: session.project, timeoutMs: session.verifyTimeoutMs, stopped: () => run.stopped,
      startedHere: (dependency) => run.started.latch(dependency)?.allStarted === true,
    }, service);
  }
  if (run.stopped) throw abandoned();
}
