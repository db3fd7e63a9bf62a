import type { AnyStateMachine, AnyStateNode } from 'xstate';

// The machine definition as data and as a mermaid diagram, read from the machine object
// itself (not written by hand), so what the API shows can never drift from the code.

export interface TransitionDescription {
  event: string;
  /** Path of the target state (`rollout.verifying`), null for a transition that stays. */
  target: string | null;
  guard: string | null;
  actions: string[];
}

export interface StateDescription {
  /** The state's own key (`verifying`). */
  name: string;
  /** Dot path from the root (`rollout.verifying`): unique, what targets name. */
  path: string;
  /** Path of the enclosing state, null at the top. */
  parent: string | null;
  type: 'atomic' | 'compound' | 'final';
  /** The initial child of a compound state. */
  initial: string | null;
  invokes: string[];
  transitions: TransitionDescription[];
}

export interface MachineDescription {
  id: string;
  initial: string;
  /** Every state, parents before their children. */
  states: StateDescription[];
  /** Events every state accepts without changing state (queued, recorded in context). */
  everywhere: TransitionDescription[];
}

interface TransitionLike {
  eventType: string;
  target?: ReadonlyArray<{ path: string[] }>;
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
  const target = t.target?.[0];
  return {
    event,
    target: target ? target.path.join('.') : null,
    guard: t.guard ? nameOf(t.guard) : null,
    actions: (t.actions ?? []).map(nameOf),
  };
}

function describeNode(node: AnyStateNode, parent: string | null, out: StateDescription[]): void {
  const path = node.path.join('.');
  const invokes = node.invoke.map((i) => nameOf(i.src));
  const transitions: TransitionDescription[] = [];
  for (const [eventType, list] of node.transitions) {
    for (const t of list) transitions.push(describeTransition(t as TransitionLike, eventLabel(eventType, invokes)));
  }
  for (const t of node.always ?? []) transitions.push(describeTransition(t as TransitionLike, 'always'));
  const children = Object.values(node.states) as AnyStateNode[];
  const type = node.type === 'final' ? 'final' : children.length > 0 ? 'compound' : 'atomic';
  const initial = node.initial?.target?.[0]?.key ?? null;
  out.push({ name: node.key, path, parent, type, initial: type === 'compound' ? initial : null, invokes, transitions });
  for (const child of children) describeNode(child, path, out);
}

export function describeMachine(machine: AnyStateMachine): MachineDescription {
  const root = machine.root;
  const states: StateDescription[] = [];
  for (const node of Object.values(root.states) as AnyStateNode[]) describeNode(node, null, states);
  const everywhere: TransitionDescription[] = [];
  for (const [eventType, list] of root.transitions) {
    for (const t of list) everywhere.push(describeTransition(t as TransitionLike, eventType));
  }
  return { id: machine.id, initial: String(root.initial?.target?.[0]?.key ?? ''), states, everywhere };
}

/** A mermaid stateDiagram-v2: compound states as composite states, their initial child marked. */
export function toMermaid(description: MachineDescription): string {
  // A state is drawn under its own name when that is unique in the machine, else under its path.
  const count = new Map<string, number>();
  for (const s of description.states) count.set(s.name, (count.get(s.name) ?? 0) + 1);
  const byPath = new Map(description.states.map((s) => [s.path, s]));
  const mermaidId = (path: string) => {
    const name = byPath.get(path)?.name ?? path;
    return count.get(name) === 1 ? name : path.replace(/\./g, '__');
  };
  const lines = ['stateDiagram-v2', `  [*] --> ${description.initial}`];
  const childrenOf = (parent: string | null) => description.states.filter((s) => s.parent === parent);
  const declare = (state: StateDescription, indent: string): void => {
    if (state.type !== 'compound') return;
    lines.push(`${indent}state ${mermaidId(state.path)} {`);
    lines.push(`${indent}  [*] --> ${mermaidId(`${state.path}.${state.initial}`)}`);
    for (const child of childrenOf(state.path)) {
      if (child.type !== 'compound') lines.push(`${indent}  ${mermaidId(child.path)}`);
      declare(child, `${indent}  `);
    }
    lines.push(`${indent}}`);
  };
  for (const state of childrenOf(null)) declare(state, '  ');
  for (const state of description.states) {
    for (const t of state.transitions) {
      if (!t.target) continue;
      const label = t.guard ? `${t.event} [${t.guard}]` : t.event;
      lines.push(`  ${mermaidId(state.path)} --> ${mermaidId(t.target)}: ${label}`);
    }
    if (state.type === 'final') lines.push(`  ${mermaidId(state.path)} --> [*]`);
  }
  return `${lines.join('\n')}\n`;
}
