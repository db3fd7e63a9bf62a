import type { Machine, MachineState } from './types.ts';

// Where each state and transition of the stack machine goes in the SVG, computed from the
// machine description alone (so the picture follows the code). Each compound state (and the
// root) lays its children out left to right in ranks: a depth-first walk from the initial
// child, step results and timers before operator events, marks the edges that close a cycle;
// the others rank each child one past its furthest predecessor. Forward edges between
// neighbours are straight curves, longer ones arc above, edges back arc below.

export interface NodeBox {
  path: string;
  name: string;
  type: MachineState['type'];
  depth: number;
  x: number;
  y: number;
  w: number;
  h: number;
  initial: boolean;
}

export interface EdgeLabel { event: string; guard: string | null }

export interface EdgeLine {
  /** `<source path>-><target path>` */
  id: string;
  from: string;
  to: string;
  labels: EdgeLabel[];
  d: string;
  labelX: number;
  labelY: number;
}

export interface ChartLayout {
  minX: number;
  minY: number;
  width: number;
  height: number;
  nodes: NodeBox[];
  edges: EdgeLine[];
}

const ATOMIC_H = 38;
const CHAR_W = 7.2;
const MIN_W = 88;
const PAD = 14;
const HEADER = 24;
const GAP_X = 48;
const GAP_Y = 20;
const MARGIN = 16;

interface Size { w: number; h: number }

type Kids = Map<string | null, MachineState[]>;

function childrenByParent(machine: Machine): Kids {
  const kids: Kids = new Map();
  for (const state of machine.states) {
    const list = kids.get(state.parent) ?? [];
    list.push(state);
    kids.set(state.parent, list);
  }
  return kids;
}

/** Step results first, then timers, eventless transitions, step errors, operator events. */
function eventPriority(event: string): number {
  if (event.startsWith('done:')) return 0;
  if (event.startsWith('after:')) return 1;
  if (event === 'always') return 2;
  if (event.startsWith('error:')) return 3;
  return 4;
}

/** The child of `parent` that `path` lies in (or is), undefined when outside. */
function childOn(path: string, parent: string | null): string | undefined {
  const parts = path.split('.');
  const depth = parent === null ? 0 : parent.split('.').length;
  if (parent !== null && !path.startsWith(`${parent}.`)) return undefined;
  return parts.length > depth ? parts.slice(0, depth + 1).join('.') : undefined;
}

/** Edges between the children of one container, by priority, as the rank walk sees them. */
function siblingEdges(machine: Machine, parent: string | null, children: MachineState[]): Map<string, string[]> {
  const edges = new Map<string, Array<{ to: string; priority: number }>>();
  for (const child of children) edges.set(child.path, []);
  for (const state of machine.states) {
    const from = childOn(state.path, parent);
    if (!from || !edges.has(from)) continue;
    for (const t of state.transitions) {
      const to = t.target ? childOn(t.target, parent) : undefined;
      if (to && to !== from && edges.has(to)) edges.get(from)!.push({ to, priority: eventPriority(t.event) });
    }
  }
  return new Map([...edges].map(([from, list]) => [from, [...list].sort((a, b) => a.priority - b.priority).map((e) => e.to)]));
}

/** Rank of each child: one past its furthest predecessor, ignoring the edges that close cycles. */
export function rankChildren(machine: Machine, parent: string | null, children: MachineState[], initial: string | null): Map<string, number> {
  const edges = siblingEdges(machine, parent, children);
  const onStack = new Set<string>();
  const done = new Set<string>();
  const order: string[] = [];
  const forward = new Map<string, string[]>(children.map((c) => [c.path, []]));
  const visit = (path: string) => {
    onStack.add(path);
    for (const to of edges.get(path) ?? []) {
      if (onStack.has(to)) continue;
      forward.get(path)!.push(to);
      if (!done.has(to)) visit(to);
    }
    onStack.delete(path);
    done.add(path);
    order.push(path);
  };
  const start = children.find((c) => c.path === initial)?.path;
  if (start) visit(start);
  for (const child of children) if (!done.has(child.path)) visit(child.path);
  const rank = new Map<string, number>(children.map((c) => [c.path, 0]));
  for (const path of order.reverse()) {
    for (const to of forward.get(path)!) rank.set(to, Math.max(rank.get(to)!, rank.get(path)! + 1));
  }
  return rank;
}

interface Placed { rel: Map<string, { x: number; y: number }>; size: Map<string, Size> }

function initialPathOf(machine: Machine, parent: MachineState | null): string | null {
  if (!parent) return machine.initial;
  return parent.initial ? `${parent.path}.${parent.initial}` : null;
}

/** Sizes bottom-up; each child's position relative to its container's content box. */
function measure(machine: Machine, kids: Kids, state: MachineState | null, placed: Placed): Size {
  const children = kids.get(state?.path ?? null) ?? [];
  if (state && children.length === 0) {
    const size = { w: Math.max(MIN_W, Math.ceil(state.name.length * CHAR_W) + 2 * PAD), h: ATOMIC_H };
    placed.size.set(state.path, size);
    return size;
  }
  const rank = rankChildren(machine, state?.path ?? null, children, initialPathOf(machine, state));
  const columns: MachineState[][] = [];
  for (const child of children) (columns[rank.get(child.path)!] ??= []).push(child);
  const sizes = new Map(children.map((c) => [c.path, measure(machine, kids, c, placed)]));
  const columnHeight = (column: MachineState[]) => column.reduce((h, c) => h + sizes.get(c.path)!.h, 0) + GAP_Y * (column.length - 1);
  const contentH = Math.max(...columns.filter(Boolean).map(columnHeight));
  let x = 0;
  for (const column of columns.filter(Boolean)) {
    const width = Math.max(...column.map((c) => sizes.get(c.path)!.w));
    let y = (contentH - columnHeight(column)) / 2;
    for (const child of column) {
      const size = sizes.get(child.path)!;
      placed.rel.set(child.path, { x: x + (width - size.w) / 2, y });
      y += size.h + GAP_Y;
    }
    x += width + GAP_X;
  }
  const size = state ? { w: x - GAP_X + 2 * PAD, h: contentH + HEADER + PAD } : { w: x - GAP_X, h: contentH };
  if (state) placed.size.set(state.path, size);
  return size;
}

function placeNodes(machine: Machine, kids: Kids, placed: Placed): NodeBox[] {
  const nodes: NodeBox[] = [];
  const place = (parent: MachineState | null, originX: number, originY: number, depth: number) => {
    const initial = initialPathOf(machine, parent);
    for (const child of kids.get(parent?.path ?? null) ?? []) {
      const rel = placed.rel.get(child.path)!;
      const size = placed.size.get(child.path)!;
      const x = originX + rel.x;
      const y = originY + rel.y;
      nodes.push({ path: child.path, name: child.name, type: child.type, depth, x, y, w: size.w, h: size.h, initial: child.path === initial });
      place(child, x + PAD, y + HEADER, depth + 1);
    }
  };
  place(null, 0, 0, 0);
  return nodes;
}

interface Attachment { edge: string; side: 'top' | 'bottom' | 'left' | 'right'; otherX: number }

type Route = { id: string; from: NodeBox; to: NodeBox; labels: EdgeLabel[]; shape: 'straight' | 'over' | 'under' };

function routesOf(machine: Machine, boxes: Map<string, NodeBox>): Route[] {
  const routes = new Map<string, Route>();
  for (const state of machine.states) {
    for (const t of state.transitions) {
      if (!t.target || t.target === state.path || !boxes.has(t.target)) continue;
      const id = `${state.path}->${t.target}`;
      const from = boxes.get(state.path)!;
      const to = boxes.get(t.target)!;
      const route = routes.get(id) ?? { id, from, to, labels: [], shape: shapeOf(from, to, boxes) };
      route.labels.push({ event: t.event, guard: t.guard });
      routes.set(id, route);
    }
  }
  return [...routes.values()];
}

/** Straight when the target is the next box to the right with nothing between them. */
function shapeOf(from: NodeBox, to: NodeBox, boxes: Map<string, NodeBox>): Route['shape'] {
  if (to.x + to.w / 2 < from.x + from.w / 2) return 'under';
  const left = from.x + from.w;
  const right = to.x;
  if (right < left) return 'over';
  const between = [...boxes.values()].some((b) => b !== from && b !== to && b.depth <= Math.max(from.depth, to.depth)
    && b.x >= left && b.x + b.w <= right && !to.path.startsWith(`${b.path}.`) && !from.path.startsWith(`${b.path}.`));
  return between ? 'over' : 'straight';
}

/** Spreads the edges that meet one side of a box along it, ordered by where they go. */
function attachmentPoints(routes: Route[]): Map<string, { x: number; y: number }> {
  const bySide = new Map<string, { box: NodeBox; list: Attachment[] }>();
  const add = (box: NodeBox, att: Attachment) => {
    const key = `${box.path}|${att.side}`;
    const entry = bySide.get(key) ?? { box, list: [] };
    entry.list.push(att);
    bySide.set(key, entry);
  };
  for (const r of routes) {
    const [fromSide, toSide] = r.shape === 'straight' ? ['right', 'left'] as const : r.shape === 'over' ? ['top', 'top'] as const : ['bottom', 'bottom'] as const;
    add(r.from, { edge: `${r.id}|from`, side: fromSide, otherX: r.to.x + r.to.w / 2 });
    add(r.to, { edge: `${r.id}|to`, side: toSide, otherX: r.from.x + r.from.w / 2 });
  }
  const points = new Map<string, { x: number; y: number }>();
  for (const { box, list } of bySide.values()) {
    list.sort((a, b) => a.otherX - b.otherX);
    list.forEach((att, i) => {
      const share = (i + 1) / (list.length + 1);
      if (att.side === 'left' || att.side === 'right') {
        points.set(att.edge, { x: att.side === 'left' ? box.x : box.x + box.w, y: box.y + box.h * share });
      } else {
        points.set(att.edge, { x: box.x + box.w * share, y: att.side === 'top' ? box.y : box.y + box.h });
      }
    });
  }
  return points;
}

function drawEdge(route: Route, points: Map<string, { x: number; y: number }>): EdgeLine & { extent: number[] } {
  const a = points.get(`${route.id}|from`)!;
  const b = points.get(`${route.id}|to`)!;
  let c1: { x: number; y: number };
  let c2: { x: number; y: number };
  if (route.shape === 'straight') {
    const dx = Math.max(20, (b.x - a.x) / 2);
    c1 = { x: a.x + dx, y: a.y };
    c2 = { x: b.x - dx, y: b.y };
  } else {
    const lift = 24 + Math.abs(b.x - a.x) * 0.12;
    const y = route.shape === 'over' ? Math.min(a.y, b.y) - lift : Math.max(a.y, b.y) + lift;
    c1 = { x: a.x, y };
    c2 = { x: b.x, y };
  }
  const at = (p: 'x' | 'y') => 0.125 * a[p] + 0.375 * c1[p] + 0.375 * c2[p] + 0.125 * b[p];
  const round = (n: number) => Math.round(n * 10) / 10;
  const d = `M${round(a.x)},${round(a.y)} C${round(c1.x)},${round(c1.y)} ${round(c2.x)},${round(c2.y)} ${round(b.x)},${round(b.y)}`;
  return {
    id: route.id, from: route.from.path, to: route.to.path, labels: route.labels, d,
    labelX: round(at('x')), labelY: round(at('y')), extent: [a.y, b.y, at('y')],
  };
}

export function layoutMachine(machine: Machine): ChartLayout {
  const kids = childrenByParent(machine);
  const placed: Placed = { rel: new Map(), size: new Map() };
  const size = measure(machine, kids, null, placed);
  const nodes = placeNodes(machine, kids, placed);
  const boxes = new Map(nodes.map((n) => [n.path, n]));
  const routes = routesOf(machine, boxes);
  const points = attachmentPoints(routes);
  const drawn = routes.map((r) => drawEdge(r, points));
  const ys = drawn.flatMap((e) => e.extent);
  const minY = Math.min(0, ...ys) - MARGIN - 10;
  const maxY = Math.max(size.h, ...ys) + MARGIN + 10;
  const edges = drawn.map(({ extent: _extent, ...edge }) => edge);
  return { minX: -MARGIN - 16, minY, width: size.w + 2 * MARGIN + 16, height: maxY - minY, nodes, edges };
}
