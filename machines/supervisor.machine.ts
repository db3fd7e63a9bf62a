import { assign, enqueueActions, raise, setup, stopChild, type ActorRefFrom } from 'xstate';
import { stackMachine } from './stack.machine.ts';
import type { StackEvent, StackInput } from './stack.types.ts';

// The root supervisor: one stack actor per stack, events routed by stack id, a crashed stack
// actor restarted with backoff and parked (not looped) after repeated crashes. Pure like the
// stack machine: `actors/` provides the stack logic with its I/O steps, and `respawnStack`,
// which reads the stack's current settings before the restart (the default reuses the input
// the actor was first spawned with).

export const MAX_RESTARTS = 3;
const RESTART_BASE_MS = 1_000;

export type SupervisorEvent =
  | { type: 'STACK.SPAWN'; input: StackInput }
  | { type: 'STACK.REMOVE'; stackId: string }
  | { type: 'STACK.SEND'; stackId: string; event: StackEvent }
  /** One event to every stack actor (e.g. RETRY once the engine answers again). */
  | { type: 'STACK.BROADCAST'; event: StackEvent }
  | { type: 'STACK.RESTART'; stackId: string }
  | { type: 'STACK.CRASHED'; stackId: string; error: string }
  /** What XState sends a parent when a child actor fails with an unhandled error. */
  | { type: `xstate.error.actor.${string}`; error: unknown; actorId: string };

export interface SupervisorContext {
  stacks: Record<string, ActorRefFrom<typeof stackMachine>>;
  inputs: Record<string, StackInput>;
  crashes: Record<string, number>;
  /** Stacks parked after too many crashes, with the last error. */
  parked: Record<string, string>;
}

const CHILD_PREFIX = 'stack:';
const childId = (stackId: string) => `${CHILD_PREFIX}${stackId}`;

export const supervisorMachine = setup({
  types: { context: {} as SupervisorContext, events: {} as SupervisorEvent },
  actors: { stack: stackMachine },
  delays: {
    restartDelay: ({ context, event }) => {
      const stackId = (event as { stackId?: string }).stackId ?? '';
      return RESTART_BASE_MS * 2 ** Math.max(0, (context.crashes[stackId] ?? 1) - 1);
    },
  },
  actions: {
    respawnStack: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'STACK.RESTART') return;
      const input = context.inputs[event.stackId];
      if (!input || context.stacks[event.stackId]) return;
      enqueue.raise({ type: 'STACK.SPAWN', input });
    }),
  },
  guards: {
    canRestart: ({ context, event }) =>
      event.type === 'STACK.CRASHED' && (context.crashes[event.stackId] ?? 0) < MAX_RESTARTS,
  },
}).createMachine({
  id: 'supervisor',
  context: { stacks: {}, inputs: {}, crashes: {}, parked: {} },
  on: {
    // A crashed stack actor must not take the root down with it: it is reported as a crash.
    'xstate.error.actor.*': {
      actions: raise(({ event }) => {
        const { actorId, error } = event as { actorId: string; error: unknown };
        return {
          type: 'STACK.CRASHED' as const,
          stackId: actorId.startsWith(CHILD_PREFIX) ? actorId.slice(CHILD_PREFIX.length) : actorId,
          error: error instanceof Error ? error.message : String(error),
        };
      }),
    },
    'STACK.SPAWN': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        if (context.stacks[event.input.stackId]) return;
        enqueue.assign({
          stacks: ({ context: c, spawn }) => ({
            ...c.stacks,
            [event.input.stackId]: spawn('stack', { id: childId(event.input.stackId), input: event.input }),
          }),
          inputs: ({ context: c }) => ({ ...c.inputs, [event.input.stackId]: event.input }),
        });
      }),
    },
    'STACK.SEND': {
      actions: ({ context, event }) => context.stacks[event.stackId]?.send(event.event),
    },
    'STACK.BROADCAST': {
      actions: ({ context, event }) => Object.values(context.stacks).forEach((ref) => ref.send(event.event)),
    },
    'STACK.REMOVE': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const ref = context.stacks[event.stackId];
        if (ref) enqueue(stopChild(ref));
        enqueue.assign({
          stacks: ({ context: c }) => withoutKey(c.stacks, event.stackId),
          inputs: ({ context: c }) => withoutKey(c.inputs, event.stackId),
          crashes: ({ context: c }) => withoutKey(c.crashes, event.stackId),
          parked: ({ context: c }) => withoutKey(c.parked, event.stackId),
        });
      }),
    },
    'STACK.CRASHED': [
      {
        guard: 'canRestart',
        actions: [
          assign({ crashes: ({ context, event }) => ({ ...context.crashes, [event.stackId]: (context.crashes[event.stackId] ?? 0) + 1 }) }),
          assign({ stacks: ({ context, event }) => withoutKey(context.stacks, event.stackId) }),
          enqueueActions(({ event, enqueue }) => {
            enqueue.raise({ type: 'STACK.RESTART', stackId: event.stackId }, { delay: 'restartDelay' });
          }),
        ],
      },
      {
        actions: assign({
          stacks: ({ context, event }) => withoutKey(context.stacks, event.stackId),
          parked: ({ context, event }) => ({ ...context.parked, [event.stackId]: event.error }),
        }),
      },
    ],
    'STACK.RESTART': { actions: 'respawnStack' },
  },
});

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}
