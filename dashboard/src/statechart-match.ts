import type { Machine, MachineState } from './types.ts';

// The API speaks of public states (`deploying`); the chart draws the states they are built of
// (`rollout.deploying.applying`). These functions map one onto the other: which node shows a
// public state, and which drawn transitions a recorded transition (from, to, event) can have
// taken, with their guards, for the chart to animate and explain.

export interface Explained {
  /** The drawn edge: `<source path>-><target path>`. */
  edge: string;
  event: string;
  guard: string | null;
}

export class MachineMap {
  private readonly byPath: Map<string, MachineState>;
  private readonly publicNames: Set<string>;

  constructor(private readonly machine: Machine) {
    this.byPath = new Map(machine.states.map((s) => [s.path, s]));
    this.publicNames = new Set(machine.public_states);
  }

  /** The node that shows a public state: the shallowest state of that name. */
  nodeOf(publicState: string): string | undefined {
    const matches = this.machine.states.filter((s) => s.name === publicState);
    matches.sort((a, b) => a.path.split('.').length - b.path.split('.').length);
    return matches[0]?.path;
  }

  /** The public state a snapshot is in while it is in `path` (the innermost public name on it). */
  private innermostPublic(path: string): string | undefined {
    let found: string | undefined;
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const name = parts[i - 1]!;
      if (this.publicNames.has(name) && this.byPath.has(parts.slice(0, i).join('.'))) found = name;
    }
    return found;
  }

  /** The public state entered by a transition to `target` (compound targets enter their initial child). */
  enteredBy(target: string): string | undefined {
    let path = target;
    let state = this.byPath.get(path);
    while (state && state.type === 'compound' && state.initial) {
      path = `${path}.${state.initial}`;
      state = this.byPath.get(path);
    }
    return this.innermostPublic(path);
  }

  /** The public states in which a transition declared on `source` can fire. */
  private firesIn(source: string): Set<string> {
    const own = this.innermostPublic(source);
    if (own) return new Set([own]);
    const inside = this.machine.states.filter((s) => s.path.startsWith(`${source}.`)).map((s) => this.innermostPublic(s.path));
    return new Set(inside.filter((name): name is string => Boolean(name)));
  }

  /**
   * The drawn transitions that take a stack from one public state to another on `event` (as the
   * API records it: `step.done`, `timer`, `DEPLOY`…). Transitions of the recorded event first;
   * else eventless ones (they run within the event that woke the stack); else any.
   */
  explain(from: string, to: string, event: string): Explained[] {
    const candidates: Explained[] = [];
    for (const state of this.machine.states) {
      if (!this.firesIn(state.path).has(from)) continue;
      for (const t of state.transitions) {
        if (t.target && this.enteredBy(t.target) === to) candidates.push({ edge: `${state.path}->${t.target}`, event: t.event, guard: t.guard });
      }
    }
    const exact = candidates.filter((c) => recordedAs(c.event) === event);
    if (exact.length > 0) return exact;
    const eventless = candidates.filter((c) => c.event === 'always');
    return eventless.length > 0 ? eventless : candidates;
  }
}

/** How the transitions API names the event of a machine transition (docs/api.md). */
export function recordedAs(machineEvent: string): string {
  if (machineEvent.startsWith('done:')) return 'step.done';
  if (machineEvent.startsWith('error:')) return 'step.error';
  if (machineEvent.startsWith('after:')) return 'timer';
  return machineEvent;
}

export function describeLabel(label: { event: string; guard: string | null }): string {
  return label.guard ? `${label.event} [${label.guard}]` : label.event;
}
