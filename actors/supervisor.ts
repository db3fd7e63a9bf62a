import { createActor, type AnyActorRef, type InspectionEvent, type SnapshotFrom } from 'xstate';
import type { Logger } from '../src/logger.ts';
import { errorMessage } from '../src/errors.ts';
import { stackMachine } from '../machines/stack.machine.ts';
import { joinsCurrentCycle, publicState } from '../machines/stack.rules.ts';
import { BUSY_STATES, type DeploymentEnd, type PendingApproval, type RestoreJob, type StackEvent, type StackInput, type StackState } from '../machines/stack.types.ts';
import { supervisorMachine } from '../machines/supervisor.machine.ts';
import type { StackRecord } from '../persistence/entities/records.ts';
import { deploySlotActor, type DeploySlots } from './deploy-slots.ts';
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

/** What the supervisor looks after, as the dashboard's overview shows it. */
export interface SupervisorFigures {
  deploySlots: { inUse: number; limit: number; waiting: number };
  /** Stack actors running now, and how many of them are busy (in a cycle). */
  actors: number;
  busy: number;
  /** Restarts of crashed stack actors, summed over the stacks there are now. */
  restarts: number;
  /** Stacks whose actor was stopped after repeated crashes, with the last error. */
  parked: Array<{ stackId: string; stackName: string; error: string }>;
}

export interface SupervisorDeps {
  steps: StackSteps;
  slots: DeploySlots;
  recorder: TransitionRecorder;
  logger: Logger;
  /** Ends a deployment that its cycle did not deploy (or whose failure stays as it is). */
  endDeployment(end: DeploymentEnd): Promise<void>;
  /** The stack's input as it is now (settings, paused, an unfinished deployment), for a restart. */
  currentInput(stackId: string): Promise<StackInput | undefined>;
}

export function stackInputFrom(stack: StackRecord, restore: RestoreJob | null = null, approval: PendingApproval | null = null): StackInput {
  return {
    stackId: stack.id,
    stackName: stack.name,
    autoDeploy: stack.auto_deploy,
    requiresApproval: stack.requires_approval ?? false,
    approval,
    reconcileIntervalMs: stack.reconcile_interval_seconds * 1000,
    paused: stack.paused,
    commit: stack.git_commit,
    failedCommit: stack.failed_commit,
    restore,
  };
}

/**
 * Owns the root actor. Routes events by stack id, persists every transition in order (through
 * the actor system's inspection), and restarts crashed stack actors with their current settings.
 */
export class Supervisor {
  private readonly root;
  private readonly since = new Map<string, string>();
  private readonly lastState = new Map<string, StackState>();

  constructor(private readonly deps: SupervisorDeps) {
    const stackLogic = stackMachine.provide({
      actors: { ...deps.steps.actors, holdDeploySlot: deploySlotActor(deps.slots) },
      actions: {
        endDeployment: (_, end) => {
          if (!end) return;
          deps.endDeployment(end).catch((error: unknown) =>
            deps.logger.error({ deployment_id: end.deploymentId, err: errorMessage(error) }, 'could not end a deployment'));
        },
      },
    });
    const rootLogic = supervisorMachine.provide({
      actors: { stack: stackLogic },
      actions: { respawnStack: ({ context, event }) => {
        if (event.type === 'STACK.RESTART' && context.inputs[event.stackId]) void this.respawn(event.stackId);
      } },
    });
    this.root = createActor(rootLogic, { inspect: (event) => this.inspect(event) });
  }

  start(stacks: Array<{ stack: StackRecord; restore: RestoreJob | null; approval?: PendingApproval | null }>): void {
    this.root.start();
    for (const { stack, restore, approval } of stacks) this.spawn(stack, restore, approval ?? null);
  }

  spawn(stack: StackRecord, restore: RestoreJob | null = null, approval: PendingApproval | null = null): void {
    this.root.send({ type: 'STACK.SPAWN', input: stackInputFrom(stack, restore, approval) });
  }

  send(stackId: string, event: StackEvent): void {
    this.root.send({ type: 'STACK.SEND', stackId, event });
  }

  /** The same event to every stack (RETRY when the engine answers again). */
  broadcast(event: StackEvent): void {
    this.root.send({ type: 'STACK.BROADCAST', event });
  }

  remove(stackId: string): void {
    // Stopping the actor stops what it invoked, its deploy slot included.
    this.root.send({ type: 'STACK.REMOVE', stackId });
    this.since.delete(stackId);
    this.lastState.delete(stackId);
  }

  has(stackId: string): boolean {
    return Boolean(this.root.getSnapshot().context.stacks[stackId]);
  }

  stackSnapshot(stackId: string): StackSnapshot | undefined {
    return this.root.getSnapshot().context.stacks[stackId]?.getSnapshot() as StackSnapshot | undefined;
  }

  /**
   * The deployment a new request would share: the one promised to a cycle under way that the
   * request joins (a deploy while fetching or diffing), else the one of the waiting cycle.
   */
  promisedDeploymentId(stackId: string, event: StackEvent): string | undefined {
    const snapshot = this.stackSnapshot(stackId);
    if (!snapshot) return undefined;
    const { cycle, pending } = snapshot.context;
    const state = publicState(snapshot.value);
    if ((state === 'fetching' || state === 'diffing') && joinsCurrentCycle(cycle, event)) {
      return cycle?.request.deploymentId;
    }
    return pending?.deploymentId;
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
      state: publicState(snapshot.value),
      sync_status: context.syncStatus,
      health_status: context.healthStatus,
      since: this.since.get(stackId) ?? new Date().toISOString(),
      last_error: context.lastError,
      queued_events: context.pending ? [context.pending.trigger] : [],
      commit: context.commit,
      deployment_id: context.deploymentId,
    };
  }

  figures(): SupervisorFigures {
    const { stacks, inputs, crashes, parked } = this.root.getSnapshot().context;
    const { slots } = this.deps;
    return {
      deploySlots: { inUse: slots.inUse, limit: slots.limit, waiting: slots.queued },
      actors: Object.keys(stacks).length,
      busy: this.busyStacks().length,
      restarts: Object.values(crashes).reduce((sum, n) => sum + n, 0),
      parked: Object.entries(parked).map(([stackId, error]) => ({ stackId, stackName: inputs[stackId]?.stackName ?? stackId, error })),
    };
  }

  /** Stacks that are in the middle of work (used to wait for a safe point at shutdown). */
  busyStacks(): string[] {
    const stacks = this.root.getSnapshot().context.stacks;
    return Object.keys(stacks).filter((id) => BUSY_STATES.includes(publicState(stacks[id]!.getSnapshot().value)));
  }

  stop(): void {
    this.root.stop();
  }

  private async respawn(stackId: string): Promise<void> {
    try {
      const input = await this.deps.currentInput(stackId);
      if (input && this.root.getSnapshot().context.inputs[stackId]) this.root.send({ type: 'STACK.SPAWN', input });
    } catch (error) {
      this.deps.logger.error({ stack_id: stackId, err: errorMessage(error) }, 'could not read the stack to restart its actor');
    }
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
    const to = publicState(snapshot.value);
    const from = this.lastState.get(stackId);
    if (from === to) return;
    this.lastState.set(stackId, to);
    const at = new Date().toISOString();
    this.since.set(stackId, at);
    this.deps.recorder.record({ stackId, stackName: snapshot.context.stackName, from: from ?? 'start', to, event: event.event.type, at, context: snapshot.context });
  }

  /** The root restarts the actor (it receives XState's error event); this only tells people. */
  private reportCrash(stackId: string, error: unknown): void {
    this.deps.logger.error({ stack_id: stackId, err: errorMessage(error) }, 'stack actor crashed; the supervisor restarts it');
    this.lastState.delete(stackId);
  }
}
