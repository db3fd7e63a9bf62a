import type { AcceleroEvent } from '../../actors/event-bus.ts';
import type { NotificationEventName } from './types.ts';

// Which bus events are worth a notification. Deployment ends map by status; a stack entering
// `failed` is stack_failed, once until it comes to rest otherwise (its retries, failed →
// fetching → failed, are the same failure); drift only when a stack goes from no drift to drift, so a drifted
// stack does not notify on every reconcile cycle. A daemon starts knowing no drift, so a stack
// still drifted after a restart notifies once more.

export interface NotificationFacts {
  event: NotificationEventName;
  stack: { id: string; name: string };
  deployment_id: string | null;
  status: string | null;
  message: string;
  git_commit: string | null;
  at: string;
}

const BY_STATUS: Record<string, NotificationEventName> = {
  completed: 'deployment_succeeded', failed: 'deployment_failed', rolled_back: 'deployment_rolled_back',
};

export class NotificationEvents {
  private readonly drifted = new Set<string>();
  /** Stacks failed since they last came to a rest that is not `failed`: their retries notify no more. */
  private readonly failing = new Set<string>();

  factsOf(event: AcceleroEvent): NotificationFacts | null {
    const stack = { id: event.stack_id, name: event.stack_name };
    const base = { stack, deployment_id: null, git_commit: null, at: event.at };
    if (event.kind === 'deployment_end') {
      const name = BY_STATUS[event.status];
      if (!name) return null;
      return { ...base, event: name, deployment_id: event.deployment_id, status: event.status, git_commit: event.git_commit, message: event.message ?? `deployment ${event.status}` };
    }
    if (event.kind === 'transition') {
      if (event.to !== 'failed') {
        if (event.to === 'idle' || event.to === 'paused' || event.to === 'deleted') this.failing.delete(event.stack_id);
        return null;
      }
      if (this.failing.has(event.stack_id)) return null;
      this.failing.add(event.stack_id);
      return { ...base, event: 'stack_failed', deployment_id: event.deployment_id, status: 'failed', message: `stack ${event.stack_name} is failed (after ${event.event} in ${event.from})` };
    }
    if (event.kind === 'drift') return this.driftFacts(event, base);
    return null;
  }

  private driftFacts(event: Extract<AcceleroEvent, { kind: 'drift' }>, base: Omit<NotificationFacts, 'event' | 'status' | 'message'>): NotificationFacts | null {
    const was = this.drifted.has(event.stack_id);
    if (!event.has_drift) this.drifted.delete(event.stack_id);
    else this.drifted.add(event.stack_id);
    if (!event.has_drift || was) return null;
    return { ...base, event: 'drift_detected', status: null, message: `${event.drift_count} drift item(s) between git and the containers` };
  }
}
