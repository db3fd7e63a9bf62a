import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { createActor, fromCallback, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { stackMachine } from '../../machines/stack.machine.ts';
import { publicState } from '../../machines/stack.rules.ts';
import type {
  ApplyInput, ApplyOutput, DeploymentEnd, FetchInput, FetchOutput, PlanInput, PlanOutput, RollBackInput, SlotInput, StackEvent,
  StackInput, VerifyInput, VerifyOutput,
} from '../../machines/stack.types.ts';
import type { ApplyResult, Plan } from '../../src/docker/types.ts';
import type { StackRecord } from '../../persistence/entities/records.ts';

// The stack machine driven with fake step actors: no git, no Docker, no database.

interface Fakes {
  fetch?: (input: FetchInput) => Promise<FetchOutput>;
  diff?: (input: PlanInput) => Promise<PlanOutput>;
  apply?: (input: ApplyInput) => Promise<ApplyOutput>;
  verify?: (input: VerifyInput) => Promise<VerifyOutput>;
  rollBack?: (input: RollBackInput) => Promise<void>;
  calls: string[];
  ended?: DeploymentEnd[];
  slot?: ReturnType<typeof fromCallback<StackEvent, SlotInput>>;
}

const stackRow = { id: 's1', name: 'web' } as StackRecord;
const revision = (commit = 'c1') => ({ stack: 'web', ref: 'main', commit, directory: '/x', composeFile: '/x/compose.yaml', changedPaths: [], unchanged: false });
const fetched = (commit = 'c1'): FetchOutput => ({ stack: stackRow, revision: revision(commit) });
const plan = (hasChanges: boolean) => ({ stackName: 'web', project: 'web', levels: [], actions: [], missingNetworks: [], missingVolumes: [], hasChanges }) as Plan;
const planned = (hasChanges: boolean): PlanOutput => ({
  project: { name: 'web', workingDir: '/x', composeFile: '/x/compose.yaml', services: {}, networks: {}, volumes: {}, warnings: [] },
  plan: plan(hasChanges), syncStatus: hasChanges ? 'out_of_sync' : 'synced', healthStatus: 'healthy', driftDigest: hasChanges ? 'drift' : 'none',
});
const outcome = (overrides: Partial<ApplyResult> = {}): ApplyResult => ({ status: 'applied', changes: [], imageIds: {}, mutated: true, ...overrides });
const applied = (overrides: Partial<ApplyResult> = {}): ApplyOutput => ({ deploymentId: 'd1', outcome: outcome(overrides) });

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

const noTimers = { reconcileDelay: 3_600_000, backoffDelay: 3_600_000 };

function startStack(fakes: Fakes, input: Partial<StackInput> = {}, options: { delays?: typeof noTimers; clock?: SimulatedClock } = {}) {
  const step = <I extends { request?: { trigger: string } }, O>(name: string, fn: ((i: I) => Promise<O>) | undefined, fallback: O) =>
    fromPromise<O, I>(async ({ input: i }) => {
      fakes.calls.push(i.request ? `${name}:${i.request.trigger}` : name);
      return fn ? fn(i) : fallback;
    });
  const machine = stackMachine.provide({
    actors: {
      fetchSource: step('fetch', fakes.fetch, fetched()),
      planChanges: step('diff', fakes.diff, planned(true)),
      applyPlan: step('apply', fakes.apply, applied()),
      verifyRollout: step('verify', fakes.verify as ((i: VerifyInput & { request?: { trigger: string } }) => Promise<VerifyOutput>) | undefined, { healthy: true }),
      rollBack: step('rollback', fakes.rollBack as ((i: RollBackInput & { request?: { trigger: string } }) => Promise<void>) | undefined, undefined),
      ...(fakes.slot ? { holdDeploySlot: fakes.slot } : {}),
    },
    actions: { endDeployment: (_, end) => { if (end) (fakes.ended ??= []).push(end); } },
    delays: options.delays ?? noTimers,
  });
  const actor = createActor(machine, {
    input: { stackId: 's1', stackName: 'web', autoDeploy: true, requiresApproval: false, reconcileIntervalMs: 60_000, paused: false, commit: null, failedCommit: null, ...input },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  actor.start();
  started.push(actor);
  return actor;
}

type StackActor = ReturnType<typeof startStack>;
const at = (actor: StackActor) => publicState(actor.getSnapshot().value);
const settled = (actor: StackActor, state: string) => waitFor(actor, (s) => publicState(s.value) === state, { timeout: 10_000 });

/** A deploy (d1) held in its apply step, with a push (d2) queued behind it. */
async function deployingWithPush() {
  const gate = deferred<ApplyOutput>();
  const fakes: Fakes = { calls: [], apply: () => gate.promise };
  const actor = startStack(fakes);
  actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
  await settled(actor, 'deploying');
  actor.send({ type: 'WEBHOOK_PUSH', deploymentId: 'd2' });
  return { gate, fakes, actor };
}

describe('stack machine', () => {
  test('a sync with nothing to change goes fetching → diffing → idle and marks the stack synced', async () => {
    const fakes: Fakes = { calls: [], diff: async () => planned(false) };
    const actor = startStack(fakes);
    actor.send({ type: 'SYNC' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 2, { timeout: 10_000 });
    assert.deepEqual(fakes.calls, ['fetch:reconcile', 'diff:reconcile']);
    assert.equal(actor.getSnapshot().context.syncStatus, 'synced');
    assert.equal(actor.getSnapshot().context.cycle, null, 'an idle stack holds no cycle data');
  });

  test('each step receives what the earlier steps of the cycle produced', async () => {
    const inputs: unknown[] = [];
    const fakes: Fakes = {
      calls: [],
      diff: async (i) => { inputs.push(i.revision.commit); return planned(true); },
      apply: async (i) => { inputs.push(i.plan.hasChanges, i.revision.commit); return applied({ changes: [{ service: 'web', action: 'create', from: '', to: 'x' }] }); },
      verify: async (i) => { inputs.push(i.outcome.changes[0]!.service, i.deploymentId, i.commit); return { healthy: true }; },
    };
    const actor = startStack(fakes, { autoDeploy: false });
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 4, { timeout: 10_000 });
    assert.deepEqual(inputs, ['c1', true, 'c1', 'web', 'd1', 'c1']);
  });

  test('a deploy with changes goes through deploying and verifying back to idle', async () => {
    const fakes: Fakes = { calls: [] };
    const actor = startStack(fakes, { autoDeploy: false });
    const seen = new Set<string>();
    actor.subscribe((s) => seen.add(publicState(s.value)));
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 4, { timeout: 10_000 });
    assert.deepEqual(fakes.calls, ['fetch:manual', 'diff:manual', 'apply:manual', 'verify']);
    assert.deepEqual([...seen], ['fetching', 'diffing', 'deploying', 'verifying', 'idle']);
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

  test('a push to a stack without auto_deploy ends its deployment as skipped, saying why', async () => {
    const fakes: Fakes = { calls: [] };
    const actor = startStack(fakes, { autoDeploy: false });
    actor.send({ type: 'WEBHOOK_PUSH', deploymentId: 'd7' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 2, { timeout: 10_000 });
    assert.equal(fakes.ended?.length, 1);
    assert.equal(fakes.ended![0]!.deploymentId, 'd7');
    assert.equal(fakes.ended![0]!.status, 'skipped');
    assert.match(fakes.ended![0]!.message, /auto_deploy is off/);
  });

  test('a promised deployment whose cycle finds nothing to change ends completed', async () => {
    const fakes: Fakes = { calls: [], diff: async () => planned(false) };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY', deploymentId: 'd2' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 2, { timeout: 10_000 });
    assert.deepEqual(fakes.ended, [{ deploymentId: 'd2', status: 'completed', message: 'nothing to change: the containers match git', commit: 'c1' }]);
  });

  test('a failed verification rolls back and auto-deploy leaves that commit alone afterwards', async () => {
    const fakes: Fakes = { calls: [], verify: async () => ({ healthy: false, error: 'web is unhealthy' }) };
    const actor = startStack(fakes);
    actor.send({ type: 'SYNC' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('rollback'), { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.failedCommit, 'c1');
    assert.equal(actor.getSnapshot().context.lastError, 'web is unhealthy');
    fakes.calls.length = 0;
    actor.send({ type: 'SYNC' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 2, { timeout: 10_000 });
    assert.deepEqual(fakes.calls, ['fetch:reconcile', 'diff:reconcile'], 'the rolled-back commit is not deployed again');
  });

  test('the rollback restores the deployment the failed verification belongs to', async () => {
    const restores: RollBackInput[] = [];
    const fakes: Fakes = { calls: [], verify: async () => ({ healthy: false, error: 'web is unhealthy' }), rollBack: async (i) => { restores.push(i); } };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waitFor(actor, () => restores.length === 1, { timeout: 10_000 });
    assert.equal(restores[0]!.restore.deploymentId, 'd1');
    assert.equal(restores[0]!.restore.status, 'rolled_back');
    assert.match(restores[0]!.restore.reason, /web is unhealthy/);
  });

  test('events that arrive while busy are merged into one pending cycle and run after it', async () => {
    const gate = deferred<FetchOutput>();
    let fetches = 0;
    const fakes: Fakes = { calls: [], fetch: () => (++fetches === 1 ? gate.promise : Promise.resolve(fetched())), diff: async () => planned(false) };
    const actor = startStack(fakes);
    actor.send({ type: 'SYNC' });
    await settled(actor, 'fetching');
    for (let i = 0; i < 50; i++) actor.send({ type: 'WEBHOOK_PUSH' });
    actor.send({ type: 'ROLLBACK', deploymentId: 'd9', rollbackTo: 'd0' });
    assert.deepEqual(actor.getSnapshot().context.pending, { trigger: 'rollback', deploy: true, deploymentId: 'd9', rollbackTo: 'd0' });
    gate.resolve(fetched());
    await waitFor(actor, (s) => fakes.calls.length === 4 && s.matches('paused'), { timeout: 10_000 });
    assert.deepEqual(fakes.calls, ['fetch:reconcile', 'diff:reconcile', 'fetch:rollback', 'diff:rollback']);
    assert.equal(actor.getSnapshot().context.pending, null);
  });

  test('a deploy that arrives while a cycle is fetching joins it and takes its deployment id', async () => {
    const gate = deferred<FetchOutput>();
    const fakes: Fakes = { calls: [], fetch: () => gate.promise };
    const actor = startStack(fakes, { autoDeploy: false });
    actor.send({ type: 'SYNC' });
    await settled(actor, 'fetching');
    actor.send({ type: 'DEPLOY', deploymentId: 'd3' });
    assert.equal(actor.getSnapshot().context.pending, null, 'no second cycle is queued');
    gate.resolve(fetched());
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.length === 4, { timeout: 10_000 });
    assert.deepEqual(fakes.calls, ['fetch:reconcile', 'diff:manual', 'apply:manual', 'verify']);
  });

  test('a deploy that joined a cycle whose fetch then fails ends failed with the error', async () => {
    const gate = deferred<FetchOutput>();
    const fakes: Fakes = { calls: [], fetch: () => gate.promise };
    const actor = startStack(fakes, { autoDeploy: false });
    actor.send({ type: 'SYNC' });
    await settled(actor, 'fetching');
    actor.send({ type: 'DEPLOY', deploymentId: 'd8' });
    gate.reject(new Error('authentication failed'));
    await settled(actor, 'failed');
    assert.deepEqual(fakes.ended, [{ deploymentId: 'd8', status: 'failed', message: 'authentication failed', commit: null }]);
  });

  test('two promised deployments merged into one cycle: the one left over ends as coalesced', async () => {
    const { gate, fakes, actor } = await deployingWithPush();
    actor.send({ type: 'ROLLBACK', deploymentId: 'd3', rollbackTo: 'd0' });
    assert.equal(actor.getSnapshot().context.pending?.deploymentId, 'd3');
    assert.equal(fakes.ended?.[0]?.deploymentId, 'd2');
    assert.equal(fakes.ended?.[0]?.status, 'skipped');
    assert.match(fakes.ended![0]!.message, /coalesced into deployment d3/);
    gate.resolve(applied());
  });

  test('a failed fetch parks the stack in failed and retries after the backoff', async () => {
    let attempts = 0;
    const clock = new SimulatedClock();
    const fakes: Fakes = {
      calls: [],
      fetch: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('git unreachable');
        return fetched();
      },
      diff: async () => planned(false),
    };
    const actor = startStack(fakes, {}, { clock, delays: { reconcileDelay: 3_600_000, backoffDelay: 5_000 } });
    actor.send({ type: 'SYNC' });
    await settled(actor, 'failed');
    assert.equal(actor.getSnapshot().context.lastError, 'git unreachable');
    assert.equal(actor.getSnapshot().context.failures, 1);
    clock.increment(4_999);
    assert.equal(at(actor), 'failed', 'still waiting out the backoff');
    clock.increment(1);
    await waitFor(actor, (s) => s.matches('idle') && attempts === 2, { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.failures, 0);
  });

  test('a RETRY (the engine answers again) ends the backoff at once', async () => {
    let attempts = 0;
    const fakes: Fakes = { calls: [], fetch: async () => { attempts += 1; if (attempts === 1) throw new Error('engine away'); return fetched(); }, diff: async () => planned(false) };
    const actor = startStack(fakes);
    actor.send({ type: 'SYNC' });
    await settled(actor, 'failed');
    actor.send({ type: 'RETRY' });
    await waitFor(actor, (s) => s.matches('idle') && attempts === 2, { timeout: 10_000 });
  });

  test('the reconcile interval starts a cycle on its own, and only when it is due', async () => {
    const clock = new SimulatedClock();
    const fakes: Fakes = { calls: [], diff: async () => planned(false) };
    const actor = startStack(fakes, {}, { clock, delays: { reconcileDelay: 30_000, backoffDelay: 3_600_000 } });
    clock.increment(29_999);
    assert.deepEqual(fakes.calls, []);
    clock.increment(1);
    await waitFor(actor, () => fakes.calls.length >= 2, { timeout: 10_000 });
    assert.deepEqual(fakes.calls.slice(0, 2), ['fetch:reconcile', 'diff:reconcile']);
  });

  test('a reconcile interval of 0 means no timer-driven cycles', async () => {
    const clock = new SimulatedClock();
    const fakes: Fakes = { calls: [], diff: async () => planned(false) };
    const { stackMachine: machine } = await import('../../machines/stack.machine.ts');
    const actor = startStack(fakes, { reconcileIntervalMs: 0 }, { clock, delays: machine.implementations.delays as typeof noTimers });
    clock.increment(7 * 86_400_000);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fakes.calls, []);
    actor.send({ type: 'SYNC' });
    await waitFor(actor, () => fakes.calls.length === 2, { timeout: 10_000 });
  });

  test('a paused stack skips pushes, still runs an explicit deploy, and stays paused', async () => {
    const fakes: Fakes = { calls: [] };
    const actor = startStack(fakes);
    actor.send({ type: 'PAUSE' });
    await settled(actor, 'paused');
    actor.send({ type: 'WEBHOOK_PUSH', deploymentId: 'd4' });
    actor.send({ type: 'SYNC' });
    actor.send({ type: 'STACK_UPDATED', settings: { autoDeploy: true, reconcileIntervalMs: 10_000, requiresApproval: false } });
    assert.equal(actor.getSnapshot().context.pending, null);
    assert.equal(at(actor), 'paused');
    assert.deepEqual(fakes.ended?.map((e) => [e.deploymentId, e.status]), [['d4', 'skipped']]);
    actor.send({ type: 'DEPLOY' });
    await waitFor(actor, (s) => s.matches('paused') && fakes.calls.length === 4, { timeout: 10_000 });
    actor.send({ type: 'RESUME' });
    assert.equal(actor.getSnapshot().value, 'idle');
  });

  test('a push queued while a cycle runs is skipped, not run, when the stack is paused meanwhile', async () => {
    const { gate, fakes, actor } = await deployingWithPush();
    actor.send({ type: 'PAUSE' });
    gate.resolve(applied());
    await settled(actor, 'paused');
    assert.equal(actor.getSnapshot().context.pending, null);
    assert.deepEqual(fakes.ended?.map((e) => [e.deploymentId, e.status]), [['d2', 'skipped']]);
    assert.equal(fakes.calls.filter((c) => c.startsWith('fetch')).length, 1, 'the push did not run');
  });

  test('a delete during a deploy waits for the step to finish, then ends the actor', async () => {
    const gate = deferred<ApplyOutput>();
    const fakes: Fakes = { calls: [], apply: () => gate.promise };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await settled(actor, 'deploying');
    actor.send({ type: 'DELETE' });
    assert.equal(at(actor), 'deploying', 'the deploy is not cut off mid-step');
    gate.resolve(applied());
    await waitFor(actor, (s) => s.status === 'done', { timeout: 10_000 });
    assert.equal(actor.getSnapshot().value, 'deleted');
    assert.ok(fakes.calls.includes('verify'), 'the deploy was verified before the actor ended');
  });
});

describe('stack machine deploy slot', () => {
  function slotProbe() {
    const log: string[] = [];
    let grant: (() => void) | undefined;
    const slot = fromCallback<StackEvent, SlotInput>(({ sendBack }) => {
      log.push('acquire');
      grant = () => sendBack({ type: 'SLOT.GRANTED' });
      return () => log.push('release');
    });
    return { log, slot, grant: () => grant?.() };
  }

  test('the rollout waits in deploying until the slot is granted, then applies', async () => {
    const probe = slotProbe();
    const fakes: Fakes = { calls: [], slot: probe.slot };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await settled(actor, 'deploying');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fakes.calls, ['fetch:manual', 'diff:manual'], 'nothing is applied without a slot');
    probe.grant();
    await waitFor(actor, (s) => s.matches('idle'), { timeout: 10_000 });
    assert.deepEqual(probe.log, ['acquire', 'release']);
  });

  test('the slot is held through verifying and rolling back, and released once when the rollout ends', async () => {
    const probe = slotProbe();
    const fakes: Fakes = { calls: [], slot: probe.slot, verify: async () => ({ healthy: false, error: 'unhealthy' }) };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await settled(actor, 'deploying');
    probe.grant();
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('rollback'), { timeout: 10_000 });
    assert.deepEqual(probe.log, ['acquire', 'release']);
  });

  test('a failing apply releases the slot', async () => {
    const probe = slotProbe();
    const actor = startStack({ calls: [], slot: probe.slot, apply: async () => { throw new Error('boom'); } });
    actor.send({ type: 'DEPLOY' });
    await settled(actor, 'deploying');
    probe.grant();
    await settled(actor, 'failed');
    assert.deepEqual(probe.log, ['acquire', 'release']);
  });

  test('stopping the actor mid-rollout releases the slot', async () => {
    const probe = slotProbe();
    const actor = startStack({ calls: [], slot: probe.slot, apply: () => new Promise(() => {}) });
    actor.send({ type: 'DEPLOY' });
    await settled(actor, 'deploying');
    probe.grant();
    actor.stop();
    assert.deepEqual(probe.log, ['acquire', 'release']);
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

  test('an apply that failed after changing the host goes to rolling_back, then idle', async () => {
    const fakes: Fakes = { calls: [], apply: async () => applied({ status: 'failed', failureAction: 'rollback', error: 'web never became healthy' }) };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('rollback'), { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.lastError, 'web never became healthy');
    assert.equal(actor.getSnapshot().context.failedCommit, 'c1');
    assert.ok(!fakes.calls.includes('verify'));
  });

  test('an apply that failed before changing anything ends the deployment failed, with no restore', async () => {
    const fakes: Fakes = { calls: [], apply: async () => applied({ status: 'failed', mutated: false, failureAction: 'rollback', error: 'pull failed' }) };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('apply:manual'), { timeout: 10_000 });
    assert.ok(!fakes.calls.includes('rollback'));
    assert.equal(fakes.ended?.[0]?.status, 'failed');
    assert.match(fakes.ended![0]!.message, /pull failed \(nothing was changed\)/);
  });

  test('failure_action pause leaves what changed as it is and ends the deployment failed', async () => {
    const fakes: Fakes = { calls: [], apply: async () => applied({ status: 'failed', failureAction: 'pause', error: 'web failed' }) };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('apply:manual'), { timeout: 10_000 });
    assert.ok(!fakes.calls.includes('rollback'));
    assert.equal(actor.getSnapshot().context.healthStatus, 'degraded');
    assert.match(fakes.ended![0]!.message, /failure_action pause/);
  });

  test('an engine failure mid-rollout restores even with failure_action pause, and does not blame the commit', async () => {
    const fakes: Fakes = { calls: [], apply: async () => applied({ status: 'failed', failureAction: 'pause', engineFailure: true, error: 'engine gone' }) };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('rollback'), { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.failedCommit, null);
  });

  test('a restore that fails stays pending and is retried, also before a queued request', async () => {
    let restores = 0;
    const clock = new SimulatedClock();
    const fakes: Fakes = {
      calls: [],
      apply: async () => applied({ status: 'failed', failureAction: 'rollback', engineFailure: true, error: 'engine gone' }),
      rollBack: async () => { restores += 1; if (restores === 1) throw new Error('engine still away'); },
    };
    const actor = startStack(fakes, {}, { clock, delays: { reconcileDelay: 3_600_000, backoffDelay: 5_000 } });
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waitFor(actor, (s) => publicState(s.value) === 'failed' && restores === 1, { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.restore?.deploymentId, 'd1');
    actor.send({ type: 'PAUSE' });
    assert.equal(at(actor), 'failed', 'a pending restore is not paused away');
    clock.increment(5_000);
    await waitFor(actor, (s) => publicState(s.value) === 'paused' && restores === 2, { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.restore, null);
  });

  test('a delete while a restore is pending restores first, then ends the actor', async () => {
    let restores = 0;
    const fakes: Fakes = {
      calls: [],
      apply: async () => applied({ status: 'failed', failureAction: 'rollback', engineFailure: true, error: 'engine gone' }),
      rollBack: async () => { restores += 1; if (restores === 1) throw new Error('engine still away'); },
    };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waitFor(actor, (s) => publicState(s.value) === 'failed' && restores === 1, { timeout: 10_000 });
    actor.send({ type: 'DELETE' });
    await waitFor(actor, (s) => s.status === 'done', { timeout: 10_000 });
    assert.equal(restores, 2, 'the pending restore ran before the actor ended');
  });

  test('an interrupted deployment handed in at start is restored before any cycle', async () => {
    const restores: RollBackInput[] = [];
    const fakes: Fakes = { calls: [], rollBack: async (i) => { restores.push(i); } };
    const actor = startStack(fakes, { restore: { deploymentId: 'd0', status: 'interrupted', reason: 'crash', blameRelease: false } });
    await waitFor(actor, (s) => s.matches('idle') && restores.length === 1, { timeout: 10_000 });
    assert.equal(restores[0]!.restore.status, 'interrupted');
    assert.deepEqual(fakes.calls, ['rollback']);
  });

  test('a verification that throws rolls back', async () => {
    const fakes: Fakes = { calls: [], verify: failing };
    const actor = startStack(fakes);
    actor.send({ type: 'DEPLOY' });
    await waitFor(actor, (s) => s.matches('idle') && fakes.calls.includes('rollback'), { timeout: 10_000 });
    assert.equal(actor.getSnapshot().context.syncStatus, 'out_of_sync');
    assert.equal(actor.getSnapshot().context.failedCommit, null, 'an engine error while verifying does not blame the commit');
  });

  test('backoff grows with consecutive failures', async () => {
    const delays = stackMachine.implementations.delays as Record<string, (args: { context: { failures: number } }) => number>;
    assert.deepEqual([1, 2, 3, 10].map((failures) => delays.backoffDelay!({ context: { failures } })), [5_000, 10_000, 20_000, 300_000]);
  });

  test('an operator rollback pins the stack once it is done', async () => {
    const fakes: Fakes = { calls: [] };
    const actor = startStack(fakes);
    actor.send({ type: 'ROLLBACK', deploymentId: 'd5', rollbackTo: 'd1' });
    await settled(actor, 'paused');
    assert.ok(fakes.calls.includes('verify'));
    assert.equal(actor.getSnapshot().context.paused, true);
  });
});
