import { h, svg } from './dom.ts';
import { clock } from './format.ts';
import { layoutMachine, type ChartLayout, type EdgeLine, type NodeBox } from './statechart-layout.ts';
import { describeLabel, MachineMap } from './statechart-match.ts';
import type { Machine, MachineState } from './types.ts';

// The live statechart: every state and transition of the stack machine as SVG. The node of the
// public state the stack is in carries data-active="true"; a transition that arrives lights
// up the edges it can have taken, and hovering an edge shows its events and guards, and the
// event that last took it.

export interface Statechart {
  element: HTMLElement;
  setActive(publicState: string): void;
  /** A recorded transition: highlight `to` and animate the edges from `from`. */
  transition(t: { from: string; to: string; event: string; at: string }): void;
}

function nodeTitle(state: MachineState): string {
  const lines = [state.path];
  if (state.invokes.length > 0) lines.push(`runs: ${state.invokes.join(', ')}`);
  const stays = state.transitions.filter((t) => !t.target).map(describeLabel);
  if (stays.length > 0) lines.push(`handled here: ${[...new Set(stays)].join(', ')}`);
  return lines.join('\n');
}

function drawNode(box: NodeBox, state: MachineState): SVGGElement {
  const kind = box.type === 'compound' ? 'compound' : box.type === 'final' ? 'final' : 'atomic';
  const group = svg('g', { class: `state-node state-node--${kind}`, 'data-state-node': box.name, 'data-state-path': box.path },
    svg('title', {}, nodeTitle(state)),
    svg('rect', { x: box.x, y: box.y, width: box.w, height: box.h, rx: kind === 'compound' ? 10 : 8 }),
  );
  if (kind === 'final') group.append(svg('rect', { class: 'inner', x: box.x + 4, y: box.y + 4, width: box.w - 8, height: box.h - 8, rx: 6 }));
  const label = kind === 'compound'
    ? svg('text', { x: box.x + 10, y: box.y + 16, class: 'label label--compound' }, box.name)
    : svg('text', { x: box.x + box.w / 2, y: box.y + box.h / 2 + 4, class: 'label', 'text-anchor': 'middle' }, box.name);
  group.append(label);
  if (box.initial) {
    const cy = kind === 'compound' ? box.y + 16 : box.y + box.h / 2;
    group.append(svg('circle', { class: 'initial-dot', cx: box.x - 14, cy, r: 4 }), svg('path', { class: 'initial-line', d: `M${box.x - 10},${cy} L${box.x},${cy}` }));
  }
  return group;
}

function drawEdge(edge: EdgeLine): SVGGElement {
  const text = edge.labels.map(describeLabel).join(' · ');
  return svg('g', { class: 'edge', 'data-edge': edge.id, 'data-edge-from': edge.from, 'data-edge-to': edge.to },
    svg('title', {}, `${edge.from} → ${edge.to}\n${edge.labels.map(describeLabel).join('\n')}`),
    svg('path', { class: 'edge-hit', d: edge.d }),
    svg('path', { class: 'edge-line', d: edge.d, 'marker-end': 'url(#arrow)' }),
    svg('text', { class: 'edge-label', x: edge.labelX, y: edge.labelY - 4, 'text-anchor': 'middle' }, text),
  );
}

function drawChart(machine: Machine, layout: ChartLayout) {
  const byPath = new Map(machine.states.map((s) => [s.path, s]));
  const nodes = new Map<string, SVGGElement>();
  const edges = new Map<string, SVGGElement>();
  const chart = svg('svg', {
    class: 'statechart', viewBox: `${layout.minX} ${layout.minY} ${layout.width} ${layout.height}`,
    width: Math.ceil(layout.width), height: Math.ceil(layout.height), role: 'img', 'aria-label': 'the stack state machine',
  }, svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }))));
  const nodeLayer = svg('g', { class: 'nodes' });
  for (const box of [...layout.nodes].sort((a, b) => a.depth - b.depth)) {
    const group = drawNode(box, byPath.get(box.path)!);
    nodes.set(box.path, group);
    nodeLayer.append(group);
  }
  const edgeLayer = svg('g', { class: 'edges' });
  for (const edge of layout.edges) {
    const group = drawEdge(edge);
    edges.set(edge.id, group);
    edgeLayer.append(group);
  }
  chart.append(nodeLayer, edgeLayer);
  return { chart, nodes, edges, byPath };
}

export function createStatechart(machine: Machine): Statechart {
  const map = new MachineMap(machine);
  const layout = layoutMachine(machine);
  const { chart, nodes, edges, byPath } = drawChart(machine, layout);
  const caption = h('p', { class: 'chart-caption', 'data-role': 'last-transition' }, 'Waiting for the first transition…');
  const element = h('div', { class: 'statechart-frame' }, h('div', { class: 'statechart-scroll' }, chart), caption);

  const setActive = (publicState: string) => {
    for (const group of nodes.values()) {
      group.removeAttribute('data-active');
      group.removeAttribute('data-contains-active');
    }
    const path = map.nodeOf(publicState);
    const group = path ? nodes.get(path) : undefined;
    if (!path || !group) return;
    group.setAttribute('data-active', 'true');
    for (let parent = byPath.get(path)?.parent ?? null; parent; parent = byPath.get(parent)?.parent ?? null) {
      nodes.get(parent)?.setAttribute('data-contains-active', 'true');
    }
  };

  const fire = (edgeId: string, label: string, note: string) => {
    const group = edges.get(edgeId);
    if (!group) return;
    // While it glows, the edge's label names the one transition taken, not all it carries.
    group.querySelector('.edge-label')!.textContent = label;
    group.classList.remove('edge--fired');
    // Reading layout restarts the CSS animation when the same edge fires twice in a row.
    void group.getBoundingClientRect();
    group.classList.add('edge--fired');
    group.setAttribute('data-last-fired', note);
    group.querySelector('title')!.textContent = `${group.getAttribute('data-edge-from')} → ${group.getAttribute('data-edge-to')}\n${
      edgeLabels(layout.edges, edgeId)}\nlast: ${note}`;
  };

  return {
    element,
    setActive,
    transition(t) {
      setActive(t.to);
      if (t.from === 'start') {
        caption.textContent = `${clock(t.at)} · ${t.to} (${t.event})`;
        return;
      }
      const explained = map.explain(t.from, t.to, t.event);
      for (const e of explained) fire(e.edge, describeLabel(e), `${t.event} at ${clock(t.at)}`);
      const why = explained.map(describeLabel).filter((v, i, all) => all.indexOf(v) === i).join(' or ');
      caption.textContent = `${clock(t.at)} · ${t.from} → ${t.to} on ${t.event}${why ? ` (${why})` : ''}`;
    },
  };
}

function edgeLabels(all: EdgeLine[], id: string): string {
  return all.find((e) => e.id === id)?.labels.map(describeLabel).join('\n') ?? '';
}
