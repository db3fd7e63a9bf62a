import { describeMachine } from '../../machines/describe-machine.ts';
import { stackMachine } from '../../machines/stack.machine.ts';
import { STACK_STATES } from '../../machines/stack.types.ts';
import type { Machine } from '../../dashboard/src/types.ts';

/** The stack machine as GET /api/v1/machine describes it. */
export function stackMachineDescription(): Machine {
  return { ...describeMachine(stackMachine), public_states: [...STACK_STATES] };
}

/** A small machine: a → b → c, c back to a, and c's compound child. */
export function smallMachine(): Machine {
  const t = (event: string, target: string | null, guard: string | null = null) => ({ event, target, guard, actions: [] });
  return {
    id: 'small', initial: 'a', public_states: ['a', 'b', 'c', 'inner'],
    states: [
      { name: 'a', path: 'a', parent: null, type: 'atomic', initial: null, invokes: [], transitions: [t('GO', 'b')] },
      { name: 'b', path: 'b', parent: null, type: 'atomic', initial: null, invokes: ['work'], transitions: [t('done: work', 'c', 'ok'), t('PING', null)] },
      { name: 'c', path: 'c', parent: null, type: 'compound', initial: 'inner', invokes: [], transitions: [t('BACK', 'a')] },
      { name: 'inner', path: 'c.inner', parent: 'c', type: 'atomic', initial: null, invokes: [], transitions: [] },
    ],
  };
}
