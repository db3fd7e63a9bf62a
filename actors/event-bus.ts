import { EventEmitter } from 'node:events';

// What watchers (SSE, logs, notifications, tests) see: transitions, deployment progress and
// ends, drift.
export type AcceleroEvent =
  | { kind: 'transition'; stack_id: string; stack_name: string; from: string; to: string; event: string; at: string; deployment_id: string | null }
  | { kind: 'deployment'; stack_id: string; stack_name: string; deployment_id: string; service: string | null; step: string; message: string; at: string }
  | { kind: 'drift'; stack_id: string; stack_name: string; has_drift: boolean; drift_count: number; at: string }
  | { kind: 'deployment_end'; stack_id: string; stack_name: string; deployment_id: string; status: string; message: string | null; git_commit: string | null; at: string };

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: AcceleroEvent): void {
    this.emitter.emit('event', event);
  }

  /** Subscribers right now (an SSE client that went must leave none behind). */
  listenerCount(): number {
    return this.emitter.listenerCount('event');
  }

  subscribe(listener: (event: AcceleroEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
