import { fromCallback } from 'xstate';
import type { SlotInput, StackEvent } from '../machines/stack.types.ts';

// Caps concurrent deploys across stacks (MAX_CONCURRENT_DEPLOYS). A stack holds at most one
// slot; `release` is idempotent (also for a stack still waiting for one).

export class DeploySlots {
  private readonly holders = new Set<string>();
  private readonly waiting: Array<{ stackId: string; grant: () => void }> = [];

  /** `onChange` is told how many slots are held after every change (a gauge). */
  constructor(readonly limit: number, private readonly onChange: (inUse: number) => void = () => {}) {}

  async acquire(stackId: string): Promise<void> {
    if (this.holders.has(stackId)) return;
    if (this.holders.size < this.limit) {
      this.holders.add(stackId);
      this.onChange(this.holders.size);
      return;
    }
    await new Promise<void>((grant) => this.waiting.push({ stackId, grant }));
  }

  release(stackId: string): void {
    const queued = this.waiting.findIndex((w) => w.stackId === stackId);
    if (queued >= 0) this.waiting.splice(queued, 1);
    if (!this.holders.delete(stackId)) return;
    const next = this.waiting.shift();
    if (next) {
      this.holders.add(next.stackId);
      next.grant();
    }
    this.onChange(this.holders.size);
  }

  get inUse(): number {
    return this.holders.size;
  }

  /** Stacks waiting for a slot (their rollout sits in `deploying.waiting_for_slot`). */
  get queued(): number {
    return this.waiting.length;
  }
}

/**
 * The actor the stack machine invokes in its rollout states: it waits for a slot, tells the
 * stack when it has one, and gives it back when the stack leaves those states, whichever way
 * (done, failed, deleted, crashed).
 */
export function deploySlotActor(slots: DeploySlots) {
  return fromCallback<StackEvent, SlotInput>(({ input, sendBack }) => {
    let held = true;
    void slots.acquire(input.stackId).then(() => {
      if (held) sendBack({ type: 'SLOT.GRANTED' });
    });
    return () => {
      held = false;
      slots.release(input.stackId);
    };
  });
}
