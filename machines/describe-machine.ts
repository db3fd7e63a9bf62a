import type { AnyStateMachine } from 'xstate';

// The machine definition as data and as a mermaid diagram, read from the machine object
// itself (not written by hand), so what the API shows can never drift from the code.

export interface TransitionDescription {
  event: string;
  target: string | null;
  guard: string | null;
  actions: string[];
}

export interface StateDescription {
  name: string;
  type: 'atomic' | 'final';
  invokes: string[];
  transitions: TransitionDescription[];
}

export interface MachineDescription {
  id: string;
  initial: string;
  states: StateDescription[];
  /** Events every state accepts without changing state (queued, recorded in context). */
  everywhere: TransitionDescription[];
}

interface TransitionLike {
  eventType: string;
  target?: ReadonlyArray<{ key: string }>;
  guard?: unknown;
  actions?: ReadonlyArray<unknown>;
}

function nameOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'type' in value) return String((value as { type: unknown }).type);
  return 'inline';
}

/** `xstate.done.actor.0.stack.fetching` → `done: fetchSource`, `xstate.after.x…` → `after: x`. */
function eventLabel(eventType: string, invokes: string[]): string {
  if (eventType.startsWith('xstate.done.actor')) return `done: ${invokes[0] ?? 'step'}`;
  if (eventType.startsWith('xstate.error.actor')) return `error: ${invokes[0] ?? 'step'}`;
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after: ${after[1]}`;
  return eventType;
}

function describeTransition(t: TransitionLike, event: string): TransitionDescription {
  return {
    event,
    target: t.target?.[0]?.key ?? null,
    guard: t.guard ? nameOf(t.guard) : null,
    actions: (t.actions ?? []).map(nameOf),
  };
}

export function describeMachine(machine: AnyStateMachine): MachineDescription {
  const root = machine.root;
  const states = Object.entries(root.states).map(([name, node]): StateDescription => {
    const invokes = node.invoke.map((i) => nameOf(i.src));
    const transitions: TransitionDescription[] = [];
    for (const [eventType, list] of node.transitions) {
      for (const t of list) transitions.push(describeTransition(t as TransitionLike, eventLabel(eventType, invokes)));
    }
    for (const t of node.always ?? []) transitions.push(describeTransition(t as TransitionLike, 'always'));
    return { name, type: node.type === 'final' ? 'final' : 'atomic', invokes, transitions };
  });
  const everywhere: TransitionDescription[] = [];
  for (const [eventType, list] of root.transitions) {
    for (const t of list) everywhere.push(describeTransition(t as TransitionLike, eventType));
  }
  return { id: machine.id, initial: String(root.initial?.target?.[0]?.key ?? ''), states, everywhere };
}

export function toMermaid(description: MachineDescription): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${description.initial}`];
  for (const state of description.states) {
    for (const t of state.transitions) {
      if (!t.target) continue;
      const label = t.guard ? `${t.event} [${t.guard}]` : t.event;
      lines.push(`  ${state.name} --> ${t.target}: ${label}`);
    }
    if (state.type === 'final') lines.push(`  ${state.name} --> [*]`);
  }
  return `${lines.join('\n')}\n`;
}
