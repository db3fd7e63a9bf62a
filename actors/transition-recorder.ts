import { errorMessage } from '../src/errors.ts';
import type { Logger } from '../src/logger.ts';
import { recordReconcileCycle } from '../src/metrics.ts';
import { BUSY_STATES, type StackContext, type StackState } from '../machines/stack.types.ts';
import type { StackStore } from '../persistence/stack-store.ts';
import type { TransitionStore } from '../persistence/transition-store.ts';
import type { EventBus } from './event-bus.ts';

export interface ObservedTransition {
  stackId: string;
  stackName: string;
  /** The previous public state, or `start` for a new actor. */
  from: StackState | 'start';
  to: StackState;
  /** The XState event type that caused it. */
  event: string;
  at: string;
  context: StackContext;
}

/** XState's internal event names, shortened to what an operator reads in the history. */
export function describeEvent(type: string): string {
  if (type.startsWith('xstate.done.actor')) return 'step.done';
  if (type.startsWith('xstate.error.actor')) return 'step.error';
  if (type.startsWith('xstate.after')) return 'timer';
  if (type === 'xstate.init') return 'start';
  return type;
}

/** How a cycle ended, read off the transition that ends it (metrics). */
export function cycleOutcome(t: Pick<ObservedTransition, 'from' | 'to' | 'context'>): string | undefined {
  if (t.to === 'failed') return 'failed';
  if (t.to !== 'idle' && t.to !== 'paused') return undefined;
  if (t.from === 'diffing') return t.context.syncStatus === 'synced' ? 'in_sync' : 'drift_recorded';
  if (t.from === 'verifying') return 'deployed';
  if (t.from === 'rolling_back') return 'rolled_back';
  return undefined;
}

type TransitionRow = Parameters<TransitionStore['append']>[0];

/**
 * Persists every transition in order (one write queue) and publishes it. The stack row's
 * status columns are written when a stack settles and only when they changed. A timer's cycle
 * that finds nothing to do (idle → fetching → diffing → idle, no deployment, the same status)
 * is published and counted but not stored: 200 idle stacks every 30 s would otherwise write
 * twenty history rows a second that say nothing (the row's last_reconciled_at says when the
 * stack was last checked). Its transitions are held until the cycle shows which it is, and
 * written in order as soon as it does anything else. A failed write is logged, never thrown
 * into the actor system.
 */
export class TransitionRecorder {
  private readonly lastStatus = new Map<string, string>();
  /** The transitions of each stack's timer cycle under way, not yet known to matter. */
  private readonly heldCycles = new Map<string, TransitionRow[]>();

  constructor(
    private readonly transitions: TransitionStore,
    private readonly stacks: StackStore,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    /** Told of every transition written, so history stays within its retention. */
    private readonly onWritten: (stackId: string) => void = () => {},
  ) {}

  record(t: ObservedTransition): void {
    const event = describeEvent(t.event);
    const deploymentId = t.context.deploymentId;
    if (t.to === 'deleted') {
      this.heldCycles.delete(t.stackId);
      return;
    }
    this.store(t, { stack_id: t.stackId, from_state: t.from, to_state: t.to, event, at: t.at, deployment_id: deploymentId });
    this.persistStatus(t);
    const outcome = cycleOutcome(t);
    if (outcome) recordReconcileCycle(outcome);
    this.logger.debug({ stack: t.stackName, from: t.from, to: t.to, event }, 'transition');
    this.bus.publish({ kind: 'transition', stack_id: t.stackId, stack_name: t.stackName, from: t.from, to: t.to, event, at: t.at, deployment_id: deploymentId });
  }

  forget(stackId: string): void {
    this.lastStatus.delete(stackId);
    this.heldCycles.delete(stackId);
  }

  /** Appends the row, unless it belongs to a timer cycle that may yet turn out quiet. */
  private store(t: ObservedTransition, row: TransitionRow): void {
    const held = this.heldCycles.get(t.stackId);
    if (!held && t.from === 'idle' && t.to === 'fetching' && row.event === 'timer' && !row.deployment_id) {
      this.heldCycles.set(t.stackId, [row]);
      return;
    }
    if (!held) return this.append(row);
    const quiet = !row.deployment_id && held.every((h) => !h.deployment_id);
    if (quiet && t.from === 'fetching' && t.to === 'diffing') {
      held.push(row);
      return;
    }
    this.heldCycles.delete(t.stackId);
    if (quiet && t.from === 'diffing' && t.to === 'idle' && this.lastStatus.get(t.stackId) === statusKey(t)) return;
    for (const earlier of held) this.append(earlier);
    this.append(row);
  }

  private append(row: TransitionRow): void {
    this.transitions
      .append(row)
      .then(() => this.onWritten(row.stack_id))
      .catch((error: unknown) => this.logger.error({ err: errorMessage(error), stack_id: row.stack_id }, 'could not persist a transition'));
  }

  private persistStatus(t: ObservedTransition): void {
    // Busy states are only shown live (supervisor); the row holds where the stack rests.
    if (BUSY_STATES.includes(t.to)) return;
    const status = statusOf(t);
    const key = JSON.stringify(status);
    if (this.lastStatus.get(t.stackId) === key) return;
    // Remembered once written: a failed write is written again at the next rest.
    this.lastStatus.set(t.stackId, key);
    this.stacks
      .updateStatus(t.stackId, status)
      .catch((error: unknown) => {
        if (this.lastStatus.get(t.stackId) === key) this.lastStatus.delete(t.stackId);
        this.logger.error({ err: errorMessage(error), stack_id: t.stackId }, 'could not persist the stack status');
      });
  }
}

/** The stack row's status columns as a transition leaves them. */
function statusOf(t: Pick<ObservedTransition, 'to' | 'context'>) {
  return {
    state: t.to,
    sync_status: t.context.syncStatus,
    health_status: t.context.healthStatus,
    last_error: t.context.lastError,
    paused: t.context.paused,
    failed_commit: t.context.failedCommit,
  };
}

function statusKey(t: Pick<ObservedTransition, 'to' | 'context'>): string {
  return JSON.stringify(statusOf(t));
}
