// What the TransitionRecorder writes to a real SQLite file: every transition, except the
// cycles a timer started that found nothing to do (those are only published).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EventBus, type AcceleroEvent } from '../../actors/event-bus.ts';
import { TransitionRecorder, type ObservedTransition } from '../../actors/transition-recorder.ts';
import type { StackContext, StackState } from '../../machines/stack.types.ts';
import { silentLogger } from '../../src/logger.ts';
import { stackRecord } from '../support/stack-record.ts';
import { startTestCore, type TestCore } from '../support/test-core.ts';
import { eventually } from '../support/eventually.ts';

let core: TestCore;
before(async () => {
  core = await startTestCore();
});
after(() => core.close());

function context(stackId: string, overrides: Partial<StackContext> = {}): StackContext {
  return {
    stackId, stackName: stackId, paused: false, cycle: null, pending: null, commit: 'c1', failedCommit: null, deploymentId: null,
    restore: null, driftDigest: null, syncStatus: 'synced', healthStatus: 'healthy', lastError: null, failures: 0, deleteRequested: false,
    autoDeploy: true, reconcileIntervalMs: 30_000, ...overrides,
  } as StackContext;
}

/** Feeds transitions to the recorder as the supervisor's inspection would. */
async function recordCycle(recorder: TransitionRecorder, stackId: string, steps: Array<[StackState | 'start', StackState, string, Partial<StackContext>?]>): Promise<void> {
  for (const [from, to, event, overrides] of steps) {
    recorder.record({ stackId, stackName: stackId, from, to, event, at: new Date().toISOString(), context: context(stackId, overrides) } as ObservedTransition);
  }
}

const stored = async (stackId: string) => (await core.stores.transitions.listForStack(stackId, 100)).reverse().map((t) => `${t.from_state}>${t.to_state}:${t.event}`);
const TIMER = 'xstate.after.reconcileDelay.stack.idle';
const DONE = 'xstate.done.actor.0.stack.fetching';

describe('TransitionRecorder', () => {
  test('a timer cycle that finds nothing to do is published but not stored; one that changes the status is', async () => {
    const stack = await core.stores.stacks.insert(stackRecord('acct-recorder-quiet'));
    const bus = new EventBus();
    const published: AcceleroEvent[] = [];
    bus.subscribe((event) => published.push(event));
    let written = 0;
    const recorder = new TransitionRecorder(core.stores.transitions, core.stores.stacks, bus, silentLogger(), () => written++);
    const quietCycle: Array<[StackState, StackState, string]> = [['idle', 'fetching', TIMER], ['fetching', 'diffing', DONE], ['diffing', 'idle', DONE]];

    await recordCycle(recorder, stack.id, [['start', 'idle', 'xstate.init']]);
    await recordCycle(recorder, stack.id, quietCycle);
    await recordCycle(recorder, stack.id, quietCycle);
    // Drift: the same steps, but the stack comes to rest out of sync.
    await recordCycle(recorder, stack.id, [['idle', 'fetching', TIMER], ['fetching', 'diffing', DONE], ['diffing', 'idle', DONE, { syncStatus: 'out_of_sync' }]]);
    await eventually(async () => written === 4, 'the stored transitions to be written');
    // The start, then only the cycle that found drift: the two quiet ones left no row.
    assert.deepEqual(await stored(stack.id), ['start>idle:start', 'idle>fetching:timer', 'fetching>diffing:step.done', 'diffing>idle:step.done']);
    assert.equal(published.filter((e) => e.kind === 'transition').length, 10, 'every transition is published');
    assert.equal((await core.stores.stacks.find(stack.id))!.sync_status, 'out_of_sync');
  });

  test('a timer cycle that deploys is stored whole, in order, and an operator cycle always is', async () => {
    const stack = await core.stores.stacks.insert(stackRecord('acct-recorder-busy'));
    let written = 0;
    const recorder = new TransitionRecorder(core.stores.transitions, core.stores.stacks, new EventBus(), silentLogger(), () => written++);
    await recordCycle(recorder, stack.id, [
      ['start', 'idle', 'xstate.init'],
      ['idle', 'fetching', TIMER], ['fetching', 'diffing', DONE], ['diffing', 'deploying', DONE], ['deploying', 'verifying', DONE], ['verifying', 'idle', DONE],
      ['idle', 'fetching', 'SYNC'], ['fetching', 'diffing', DONE], ['diffing', 'idle', DONE],
    ]);
    await eventually(async () => written === 9, 'every transition to be written');
    assert.deepEqual(await stored(stack.id), [
      'start>idle:start',
      'idle>fetching:timer', 'fetching>diffing:step.done', 'diffing>deploying:step.done', 'deploying>verifying:step.done', 'verifying>idle:step.done',
      'idle>fetching:SYNC', 'fetching>diffing:step.done', 'diffing>idle:step.done',
    ]);
  });

  test('a timer cycle that fails is stored from its start', async () => {
    const stack = await core.stores.stacks.insert(stackRecord('acct-recorder-failed'));
    let written = 0;
    const recorder = new TransitionRecorder(core.stores.transitions, core.stores.stacks, new EventBus(), silentLogger(), () => written++);
    await recordCycle(recorder, stack.id, [
      ['start', 'idle', 'xstate.init'],
      ['idle', 'fetching', TIMER], ['fetching', 'failed', 'xstate.error.actor.0.stack.fetching', { lastError: 'git is away' }],
    ]);
    await eventually(async () => written === 3, 'every transition to be written');
    assert.deepEqual(await stored(stack.id), ['start>idle:start', 'idle>fetching:timer', 'fetching>failed:step.error']);
  });
});
