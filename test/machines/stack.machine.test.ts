import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { createActor, fromPromise, waitFor } from 'xstate';
import { mergeRequests, stackMachine, type StepInput } from '../../machines/stack.machine.ts';
import type { ApplyOutput, DiffOutput, FetchOutput, StackInput, VerifyOutput } from '../../machines/stack.types.ts';

// The stack machine driven with fake step actors: no git, no Docker, no database.

interface Fakes {
  fetch?: (input: StepInput) => Promise<FetchOutput>;
  diff?: (input: StepInput) => Promise<DiffOutput>;
  apply?: (input: StepInput) => Promise<ApplyOutput>;
  verify?: (input: StepInput) => Promise<VerifyOutput>;
  calls: string[];
}

const changes: DiffOutput = { hasChanges: true, syncStatus: 'out_of_sync', healthStatus: 'healthy', changeCount: 1 };
const noChanges: DiffOutput = { hasChanges: false, syncStatus: 'synced', healthStatus: 'healthy', changeCount: 0 };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const started: Array<{ stop(): void }> = [];
afterEach(() => {
  // Pending timers (reconcile interval, backoff) would keep the test process alive.
  for (const actor of started.splice(0)) actor.stop();
});

function startStack(fakes: Fakes, input: Partial<StackInput> = {}, delays = { reconcileDelay: 3_600_000, backoffDelay: 3_600_000 }) {
  const step = <T>(name: string, fn: ((i: StepInput) => Promise<T>) | undefined, fallback: T) =>
    fromPromise<T, StepInput>(async ({ input: i }) => {
      fakes.calls.push(`${name}:${i.cycle.trigger}`);
      return fn ? fn(i) : fallback;
    });
  const machine = stackMachine.provide({
    actors: {
      fetchSource: step('fetch', fakes.fetch, { commit: 'c1', unchanged: false }),
      planChanges: step('diff', fakes.diff, changes),
      applyPlan: step('apply', fakes.apply, { deploymentId: 'd1', result: 'applied' as const }),
      verifyRollout: step('verify', fakes.verify, { healthy: true }),
      rollBack: step('rollback', undefined, { restored: true }),
    } as never,
    delays,
  });
  const actor = createActor(machine, {
    input: { stackId: 's1', stackName: 'web', autoDeploy: true, reconcileIntervalMs: 60_000, paused: false, commit: null, failedCommit: null, ...input },
  });
  actor.start();
  started.push(actor);
  return actor;
}

const settled = (actor: ReturnType<typeof startStack>, state: string) =>
  waitFor(actor, (s) => s.matches(state as never), { timeout: 10_000 });

describe('stack machine', () => {
  test('a sync with nothing to change goes fetching → diffing → idle and marks the stack synced', async () => {
    const fakes: Fakes = { calls: [], diff: async () => noChanges };
    const actor = startStack(fakes);
    actor.send({ type: 'SYNC' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 2, { timeout: 10_000 });
    assert.deepEqual(fakes.calls, ['fetch:reconcile', 'diff:reconcile']);
    assert.equal(actor.getSnapshot().context.syncStatus, 'synced');
  });

  test('a deploy with changes goes through deploying and verifying back to idle', async () => {
    const fakes: Fakes = { calls: [] };
    const actor = startStack(fakes, { autoDeploy: false });
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 4, { timeout: 10_000 });
    assert.deepEqual(fakes.calls, ['fetch:manual', 'diff:manual', 'apply:manual', 'verify:manual']);
    const { context } = actor.getSnapshot();
    assert.equal(context.syncStatus, 'synced');
    assert.equal(context.healthStatus, 'healthy');
    assert.equal(context.deploymentId, 'd1');
  });

  test('a reconcile without auto_deploy records drift and does not deploy', async () => {
    const fakes: Fakes = { calls: [] };
    const actor = startStack(fakes, { autoDeploy: false });
    actor.send({ type: 'SYNC' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 2, { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.syncStatus, 'out_of_sync');
    assert.deepEqual(fakes.calls, ['fetch:reconcile', 'diff:reconcile']);
  });

  test('a failed verification rolls back and auto-deploy leaves that commit alone afterwards', async () => {
    const fakes: Fakes = { calls: [], verify: async () => ({ healthy: false, error: 'web is unhealthy' }) };
    const actor = startStack(fakes);
    actor.send({ type: 'SYNC' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('rollback:reconcile'), { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.failedCommit, 'c1');
    assert.equal(actor.getSnapshot().context.lastError, 'web is unhealthy');
    fakes.calls.length = 0;
    actor.send({ type: 'SYNC' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 2, { timeout: 10_000 });
    assert.deepEqual(fakes.calls, ['fetch:reconcile', 'diff:reconcile'], 'the rolled-back commit is not deployed again');
  });

  test('events that arrive while busy are merged into one pending cycle and run after it', async () => {
    const gate = deferred<FetchOutput>();
    let fetches = 0;
    const fakes: Fakes = { calls: [], fetch: () => (++fetches === 1 ? gate.promise : Promise.resolve({ commit: 'c1', unchanged: true })), diff: async () => noChanges };
    const actor = startStack(fakes);
    actor.send({ type: 'SYNC' });
    await settled(actor, 'fetching');
    for (let i = 0; i < 50; i++) actor.send({ type: 'WEBHOOK_PUSH' });
    actor.send({ type: 'DEPLOY', deploymentId: 'd9' });
    assert.deepEqual(actor.getSnapshot().context.pending, { trigger: 'manual', deploy: true, deploymentId: 'd9' });
    gate.resolve({ commit: 'c1', unchanged: false });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 4, { timeout: 10_000 });
    assert.deepEqual(fakes.calls, ['fetch:reconcile', 'diff:reconcile', 'fetch:manual', 'diff:manual']);
    assert.equal(actor.getSnapshot().context.pending, null);
  });

  test('a failed fetch parks the stack in failed and retries after the backoff', async () => {
    let attempts = 0;
    const fakes: Fakes = {
      calls: [],
      fetch: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('git unreachable');
        return { commit: 'c1', unchanged: false };
      },
      diff: async () => noChanges,
    };
    const actor = startStack(fakes, {}, { reconcileDelay: 3_600_000, backoffDelay: 50 });
    actor.send({ type: 'SYNC' });
    await settled(actor, 'failed');
    assert.equal(actor.getSnapshot().context.lastError, 'git unreachable');
    assert.equal(actor.getSnapshot().context.failures, 1);
    await waitFor(actor, (s) => s.matches('idle') && attempts === 2, { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.failures, 0);
  });

  test('the reconcile interval starts a cycle on its own', async () => {
    const fakes: Fakes = { calls: [], diff: async () => noChanges };
    const actor = startStack(fakes, {}, { reconcileDelay: 30, backoffDelay: 3_600_000 });
    await waitFor(actor, () => fakes.calls.length >= 2, { timeout: 10_000 });
    assert.deepEqual(fakes.calls.slice(0, 2), ['fetch:reconcile', 'diff:reconcile']);
  });

  test('a reconcile interval of 0 means no timer-driven cycles', async () => {
    const fakes: Fakes = { calls: [], diff: async () => noChanges };
    const actor = startStack(fakes, { reconcileIntervalMs: 0 }, { reconcileDelay: 20, backoffDelay: 3_600_000 });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(fakes.calls, []);
    actor.stop();
  });

  test('a paused stack ignores pushes, still runs an explicit deploy, and stays paused', async () => {
    const fakes: Fakes = { calls: [] };
    const actor = startStack(fakes);
    actor.send({ type: 'PAUSE' });
    await settled(actor, 'paused');
    actor.send({ type: 'WEBHOOK_PUSH' });
    actor.send({ type: 'SYNC' });
    assert.equal(actor.getSnapshot().context.pending, null);
    actor.send({ type: 'DEPLOY' });
    await waitFor(actor, (s) => s.matches('paused') && fakes.calls.length === 4, { timeout: 10_000 });
    actor.send({ type: 'RESUME' });
    assert.equal(actor.getSnapshot().value, 'idle');
  });

  test('a delete during a deploy waits for the step to finish, then ends the actor', async () => {
    const gate = deferred<ApplyOutput>();
    const fakes: Fakes = { calls: [], apply: () => gate.promise };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await settled(actor, 'deploying');
    actor.send({ type: 'DELETE' });
    assert.equal(actor.getSnapshot().value, 'deploying', 'the deploy is not cut off mid-step');
    gate.resolve({ deploymentId: 'd1', result: 'applied' });
    await waitFor(actor, (s) => s.status === 'done', { timeout: 10_000 });
    assert.equal(actor.getSnapshot().value, 'deleted');
    assert.ok(fakes.calls.includes('verify:manual'), 'the deploy was verified before the actor ended');
  });
});

describe('stack machine failures in each step', () => {
  const failing = async () => {
    throw new Error('step failed');
  };

  test('a failing diff parks the stack in failed with the error', async () => {
    const actor = startStack({ calls: [], diff: failing });
    actor.send({ type: 'SYNC' });
    await settled(actor, 'failed');
    assert.equal(actor.getSnapshot().context.lastError, 'step failed');
    assert.equal(actor.getSnapshot().context.syncStatus, 'unknown');
  });

  test('a failing apply parks the stack in failed', async () => {
    const actor = startStack({ calls: [], apply: failing });
    actor.send({ type: 'DEPLOY' });
    await settled(actor, 'failed');
    assert.equal(actor.getSnapshot().context.failures, 1);
  });

  test('an apply that reports a failed rollout goes to rolling_back, then idle', async () => {
    const fakes: Fakes = { calls: [], apply: async () => ({ deploymentId: 'd1', result: 'failed', error: 'web never became healthy' }) };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('rollback:manual'), { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.lastError, 'web never became healthy');
    assert.equal(actor.getSnapshot().context.failedCommit, 'c1');
    assert.ok(!fakes.calls.includes('verify:manual'));
  });

  test('a verification that throws rolls back', async () => {
    const fakes: Fakes = { calls: [], verify: failing };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('rollback:manual'), { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.syncStatus, 'out_of_sync');
  });

  test('backoff grows with consecutive failures', async () => {
    const { stackMachine: machine } = await import('../../machines/stack.machine.ts');
    const delays = machine.implementations.delays as Record<string, (args: { context: { failures: number } }) => number>;
    assert.deepEqual([1, 2, 3, 10].map((failures) => delays.backoffDelay!({ context: { failures } })), [5_000, 10_000, 20_000, 300_000]);
  });

  test('an operator rollback pins the stack once it is done', async () => {
    const fakes: Fakes = { calls: [] };
    const actor = startStack(fakes);
    actor.send({ type: 'ROLLBACK', deploymentId: 'd5', rollbackTo: 'd1' });
    await settled(actor, 'paused');
    assert.ok(fakes.calls.includes('verify:rollback'));
    assert.equal(actor.getSnapshot().context.paused, true);
  });
});

describe('mergeRequests', () => {
  test('a manual deploy outranks a webhook and keeps deploy=true', () => {
    const merged = mergeRequests({ trigger: 'webhook', deploy: false }, { trigger: 'manual', deploy: true, deploymentId: 'd2' });
    assert.deepEqual(merged, { trigger: 'manual', deploy: true, deploymentId: 'd2' });
  });

  test('a later reconcile does not weaken a waiting deploy', () => {
    const merged = mergeRequests({ trigger: 'manual', deploy: true, deploymentId: 'd1' }, { trigger: 'reconcile', deploy: false });
    assert.deepEqual(merged, { trigger: 'manual', deploy: true, deploymentId: 'd1' });
  });
});
