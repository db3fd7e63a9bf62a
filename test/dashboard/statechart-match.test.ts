import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MachineMap, recordedAs } from '../../dashboard/src/statechart-match.ts';
import { stackMachineDescription } from './machine-fixture.ts';

// Public states (what the API and the events name) onto the chart's nodes, and a recorded
// transition onto the drawn edges it can have taken, with the guard that let it.

describe('public states on the chart', () => {
  const map = new MachineMap(stackMachineDescription());

  test('each public state has its node; deploying is the compound state inside rollout', () => {
    assert.equal(map.nodeOf('idle'), 'idle');
    assert.equal(map.nodeOf('deploying'), 'rollout.deploying');
    assert.equal(map.nodeOf('rolling_back'), 'rollout.rolling_back');
    assert.equal(map.nodeOf('rollout'), 'rollout');
    assert.equal(map.nodeOf('nonsense'), undefined);
  });

  test('a transition into rollout enters deploying', () => {
    assert.equal(map.enteredBy('rollout'), 'deploying');
    assert.equal(map.enteredBy('rollout.deploying.applying'), 'deploying');
    assert.equal(map.enteredBy('rollout.verifying'), 'verifying');
  });

  const cases: Array<[string, string, string, Array<{ edge: string; event: string; guard: string | null }>]> = [
    ['idle', 'fetching', 'timer', [{ edge: 'idle->fetching', event: 'after: reconcileDelay', guard: 'reconcilesPeriodically' }]],
    ['idle', 'fetching', 'DEPLOY', [{ edge: 'idle->fetching', event: 'always', guard: 'hasPending' }]],
    ['diffing', 'deploying', 'step.done', [{ edge: 'diffing->rollout', event: 'done: planChanges', guard: 'shouldDeploy' }]],
    ['deploying', 'verifying', 'step.done', [{ edge: 'rollout.deploying.applying->rollout.verifying', event: 'done: applyPlan', guard: 'applied' }]],
    ['verifying', 'rolling_back', 'step.error', [{ edge: 'rollout.verifying->rollout.rolling_back', event: 'error: verifyRollout', guard: null }]],
    ['verifying', 'idle', 'step.done', [{ edge: 'rollout.verifying->idle', event: 'done: verifyRollout', guard: 'verifiedHealthy' }]],
  ];
  for (const [from, to, event, expected] of cases) {
    test(`${from} → ${to} on ${event}`, () => {
      assert.deepEqual(map.explain(from, to, event), expected);
    });
  }

  test('the events the API records name the machine\'s', () => {
    assert.deepEqual(['done: fetchSource', 'error: rollBack', 'after: backoffDelay', 'RETRY'].map(recordedAs), ['step.done', 'step.error', 'timer', 'RETRY']);
  });
});
