import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layoutMachine, type NodeBox } from '../../dashboard/src/statechart-layout.ts';
import { smallMachine, stackMachineDescription } from './machine-fixture.ts';

// The statechart's layout, computed from the machine description: every state drawn once,
// nested in its parent, siblings apart, every transition drawn, all inside the picture.

const inside = (child: NodeBox, parent: NodeBox) =>
  child.x > parent.x && child.y > parent.y && child.x + child.w < parent.x + parent.w && child.y + child.h < parent.y + parent.h;
const overlap = (a: NodeBox, b: NodeBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('statechart layout', () => {
  const machine = stackMachineDescription();
  const layout = layoutMachine(machine);
  const byPath = new Map(layout.nodes.map((n) => [n.path, n]));

  test('every state of the machine gets one box', () => {
    assert.deepEqual(layout.nodes.map((n) => n.path).sort(), machine.states.map((s) => s.path).sort());
  });

  test('children sit inside their parent, and siblings do not overlap', () => {
    for (const state of machine.states) {
      if (state.parent) assert.ok(inside(byPath.get(state.path)!, byPath.get(state.parent)!), `${state.path} inside ${state.parent}`);
      const siblings = machine.states.filter((s) => s.parent === state.parent && s.path !== state.path);
      for (const sibling of siblings) assert.ok(!overlap(byPath.get(state.path)!, byPath.get(sibling.path)!), `${state.path} apart from ${sibling.path}`);
    }
  });

  test('every transition to another state is drawn, with each event and guard it carries', () => {
    const expected = new Set(machine.states.flatMap((s) => s.transitions.filter((t) => t.target && t.target !== s.path).map((t) => `${s.path}->${t.target}`)));
    assert.deepEqual(layout.edges.map((e) => e.id).sort(), [...expected].sort());
    const toVerifying = layout.edges.find((e) => e.id === 'rollout.deploying.applying->rollout.verifying')!;
    assert.deepEqual(toVerifying.labels, [{ event: 'done: applyPlan', guard: 'applied' }]);
  });

  test('the main path reads left to right: idle, fetching, diffing, then the rollout', () => {
    const x = (path: string) => byPath.get(path)!.x;
    assert.ok(x('idle') < x('fetching') && x('fetching') < x('diffing') && x('diffing') < x('rollout'));
    assert.ok(x('rollout.deploying') < x('rollout.verifying') && x('rollout.verifying') < x('rollout.rolling_back'));
    assert.ok(byPath.get('idle')!.initial && byPath.get('rollout.deploying.waiting_for_slot')!.initial);
  });

  test('the picture holds every box and every label', () => {
    const right = layout.minX + layout.width;
    const bottom = layout.minY + layout.height;
    for (const n of layout.nodes) assert.ok(n.x >= layout.minX && n.y >= layout.minY && n.x + n.w <= right && n.y + n.h <= bottom, n.path);
    for (const e of layout.edges) assert.ok(e.labelY > layout.minY && e.labelY < bottom && e.labelX > layout.minX && e.labelX < right, e.id);
  });

  test('a small machine: ranks follow the transitions, the edge that closes the cycle goes back', () => {
    const small = layoutMachine(smallMachine());
    const box = new Map(small.nodes.map((n) => [n.path, n]));
    assert.ok(box.get('a')!.x < box.get('b')!.x && box.get('b')!.x < box.get('c')!.x);
    assert.deepEqual(small.edges.map((e) => e.id).sort(), ['a->b', 'b->c', 'c->a']);
    const back = small.edges.find((e) => e.id === 'c->a')!;
    assert.ok(back.labelY > box.get('a')!.y + box.get('a')!.h, 'the edge back arcs below the boxes');
  });
});
