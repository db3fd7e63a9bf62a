import { createActor, type AnyActorRef, type InspectionEvent, type SnapshotFrom } from 'xstate';
import type { Logger } from '../src/logger.ts';
import { stackMachine } from '../machines/stack.machine.ts';
import { BUSY_STATES, type StackEvent, type StackInput } from '../machines/stack.types.ts';
import { supervisorMachine } from '../machines/supervisor.machine.ts';
import type { StackRecord } from '../persistence/entities/records.ts';
import type { EventBus } from './event-bus.ts';
import type { StackSteps } from './stack-steps.ts';
import type { TransitionRecorder } from './transition-recorder.ts';

type StackSnapshot = SnapshotFrom<typeof stackMachine>;

export interface StackStateView {
  state: string;
  sync_status: string;
  health_status: string;
  since: string;
  last_error: string | null;
  queued_events: string[];
  commit: string | null;
  deployment_id: string | null;
}

export interface SupervisorDeps {
  steps: StackSteps;
  recorder: TransitionRecorder;
  events: EventBus;
  logger: Logger;
  releaseDeploySlot(stackId: string): void;
}

export function stackInputFrom(stack: StackRecord): StackInput {
  return {
    stackId: stack.id,
    stackName: stack.name,
    autoDeploy: stack.auto_deploy,
    reconcileIntervalMs: stack.reconcile_interval_seconds * 1000,
    paused: stack.paused,
    commit: stack.git_commit,
    failedCommit: stack.failed_commit,
  };
}

/**
 * Owns the root actor. Routes events by stack id, persists every transition in order (through
 * the actor system's inspection), and reports crashed stack actors to the root for restart.
 */
export class Supervisor {
  private readonly root;
  private readonly since = new Map<string, string>();
  private readonly lastState = new Map<string, string>();

  constructor(private readonly deps: SupervisorDeps) {
    const stackLogic = stackMachine.provide({
      actors: deps.steps.actors,
      actions: { releaseDeploySlot: ({ context }) => deps.releaseDeploySlot(context.stackId) },
    });
    const rootLogic = supervisorMachine.provide({ actors: { stack: stackLogic } });
    this.root = createActor(rootLogic, { inspect: (event) => this.inspect(event) });
  }

  start(stacks: StackRecord[]): void {
    this.root.start();
    for (const stack of stacks) this.spawn(stack);
  }

  spawn(stack: StackRecord): void {
    this.root.send({ type: 'STACK.SPAWN', input: stackInputFrom(stack) });
  }

  send(stackId: string, event: StackEvent): void {
    this.root.send({ type: 'STACK.SEND', stackId, event });
  }

  remove(stackId: string): void {
    this.root.send({ type: 'STACK.REMOVE', stackId });
    this.deps.releaseDeploySlot(stackId);
    this.since.delete(stackId);
    this.lastState.delete(stackId);
  }

  has(stackId: string): boolean {
    return Boolean(this.root.getSnapshot().context.stacks[stackId]);
  }

  stackSnapshot(stackId: string): StackSnapshot | undefined {
    return this.root.getSnapshot().context.stacks[stackId]?.getSnapshot() as StackSnapshot | undefined;
  }

  /** The deployment id a new deploy request would be merged into, if one is already waiting. */
  pendingDeploymentId(stackId: string): string | undefined {
    return this.stackSnapshot(stackId)?.context.pending?.deploymentId;
  }

  state(stackId: string): StackStateView | undefined {
    const snapshot = this.stackSnapshot(stackId);
    const parked = this.root.getSnapshot().context.parked[stackId];
    if (!snapshot) {
      if (parked === undefined) return undefined;
      return { state: 'failed', sync_status: 'unknown', health_status: 'unknown', since: this.since.get(stackId) ?? '',
        last_error: `stack actor stopped after repeated crashes: ${parked}`, queued_events: [], commit: null, deployment_id: null };
    }
    const { context } = snapshot;
    return {
      state: String(snapshot.value),
      sync_status: context.syncStatus,
      health_status: context.healthStatus,
      since: this.since.get(stackId) ?? new Date().toISOString(),
      last_error: context.lastError,
      queued_events: context.pending ? [context.pending.trigger] : [],
      commit: context.commit,
      deployment_id: context.deploymentId,
    };
  }

  /** Stacks that are in the middle of work (used to wait for a safe point at shutdown). */
  busyStacks(): string[] {
    const stacks = this.root.getSnapshot().context.stacks;
    return Object.keys(stacks).filter((id) => {
      return BUSY_STATES.includes(String(stacks[id]!.getSnapshot().value));
    });
  }

  stop(): void {
    this.root.stop();
  }

  private inspect(event: InspectionEvent): void {
    if (event.type !== '@xstate.snapshot') return;
    const actorId = (event.actorRef as AnyActorRef).id;
    if (!actorId.startsWith('stack:')) return;
    const snapshot = event.snapshot as StackSnapshot;
    const stackId = actorId.slice('stack:'.length);
    if (snapshot.status === 'error') {
      this.reportCrash(stackId, snapshot.error);
      return;
    }
    const to = String(snapshot.value);
    const from = this.lastState.get(stackId);
    if (from === to) return;
    this.lastState.set(stackId, to);
    const at = new Date().toISOString();
    this.since.set(stackId, at);
    this.deps.recorder.record({ stackId, stackName: snapshot.context.stackName, from: from ?? 'start', to, event: event.event.type, at, context: snapshot.context });
  }

  /** The root restarts the actor (it receives XState's error event); this only tells people. */
  private reportCrash(stackId: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.logger.error({ stack_id: stackId, err: message }, 'stack actor crashed; the supervisor restarts it');
    this.lastState.delete(stackId);
    this.deps.releaseDeploySlot(stackId);
  }
}
