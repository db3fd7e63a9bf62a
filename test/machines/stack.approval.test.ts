import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { stackMachine } from '../../machines/stack.machine.ts';
import { publicState } from '../../machines/stack.rules.ts';
import type {
  ApplyInput, ApplyOutput, ApprovalInput, ApprovalOutput, DeploymentEnd, FetchInput, FetchOutput, PendingApproval, PlanOutput, StackInput, VerifyInput, VerifyOutput,
} from '../../machines/stack.types.ts';
import type { Plan } from '../../src/docker/types.ts';
import type { StackRecord } from '../../persistence/entities/records.ts';

// requires_approval in the stack machine, with fake steps: a deploy is planned, then waits in
// awaiting_approval until APPROVE (the same commit is fetched again and deployed) or REJECT.

interface Harness {
  /** The commit the branch resolves to now. */
  head: string;
  calls: string[];
  ended: DeploymentEnd[];
  recorded: ApprovalInput[];
  applied: Array<{ commit: string; deploymentId?: string }>;
}

const stackRow = { id: 's1', name: 'web' } as StackRecord;
const plan = { stackName: 'web', project: 'web', levels: [], actions: [], missingNetworks: [], missingVolumes: [], hasChanges: true } as unknown as Plan;
const planned: PlanOutput = {
  project: { name: 'web', workingDir: '/x', composeFile: '/x/compose.yaml', services: {}, networks: {}, volumes: {}, warnings: [] },
  plan, syncStatus: 'out_of_sync', healthStatus: 'healthy', driftDigest: 'drift',
};

const started: Array<{ stop(): void }> = [];
afterEach(() => {
  for (const actor of started.splice(0)) actor.stop();
});

let approvals = 0;
function startStack(h: Harness, input: Partial<StackInput> = {}, clock?: SimulatedClock) {
  const machine = stackMachine.provide({
    actors: {
      fetchSource: fromPromise<FetchOutput, FetchInput>(async ({ input: i }) => {
        const commit = i.request.approvedCommit ?? h.head;
        h.calls.push(`fetch:${i.request.trigger}:${commit}`);
        return { stack: stackRow, revision: { stack: 'web', ref: 'main', commit, directory: '/x', composeFile: '/x/c.yaml', changedPaths: [], unchanged: false } };
      }),
      planChanges: fromPromise(async () => planned),
      recordApproval: fromPromise<ApprovalOutput, ApprovalInput>(async ({ input: i }) => {
        h.recorded.push(i);
        approvals += 1;
        return { approval: { deploymentId: i.request.deploymentId ?? `a${approvals}`, commit: i.commit, trigger: i.request.trigger } };
      }),
      applyPlan: fromPromise<ApplyOutput, ApplyInput>(async ({ input: i }) => {
        h.applied.push({ commit: i.revision.commit, deploymentId: i.request.deploymentId });
        return { deploymentId: i.request.deploymentId ?? 'dx', outcome: { status: 'applied', changes: [], imageIds: {}, mutated: true } };
      }),
      verifyRollout: fromPromise<VerifyOutput, VerifyInput>(async () => ({ healthy: true })),
      rollBack: fromPromise(async () => {}),
    },
    actions: { endDeployment: (_, end) => { if (end) h.ended.push(end); } },
    delays: { reconcileDelay: clock ? 30_000 : 3_600_000, backoffDelay: 3_600_000 },
  });
  const actor = createActor(machine, {
    input: {
      stackId: 's1', stackName: 'web', autoDeploy: true, requiresApproval: true, reconcileIntervalMs: clock ? 30_000 : 0,
      paused: false, commit: null, failedCommit: null, ...input,
    },
    ...(clock ? { clock } : {}),
  });
  actor.start();
  started.push(actor);
  return actor;
}

const harness = (): Harness => ({ head: 'c1', calls: [], ended: [], recorded: [], applied: [] });
type StackActor = ReturnType<typeof startStack>;
const waiting = (actor: StackActor) =>
  waitFor(actor, (s) => s.matches({ awaiting_approval: 'waiting' }), { timeout: 10_000 }).then((s) => s.context.approval!);
const idle = (actor: StackActor) => waitFor(actor, (s) => s.matches('idle'), { timeout: 10_000 });

describe('stack machine: requires_approval', () => {
  test('a deploy is planned, then waits without deploying; APPROVE deploys that commit under the same deployment', async () => {
    const h = harness();
    const actor = startStack(h);
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    const approval = await waiting(actor);
    assert.deepEqual(approval, { deploymentId: 'd1', commit: 'c1', trigger: 'manual' });
    assert.equal(publicState(actor.getSnapshot().value), 'awaiting_approval');
    assert.equal(h.applied.length, 0, 'nothing deployed before the approval');
    h.head = 'c2'; // the branch moves on; the approved plan's commit is still the one deployed
    actor.send({ type: 'APPROVE', deploymentId: 'other' });
    assert.ok(actor.getSnapshot().matches({ awaiting_approval: 'waiting' }), 'an approve of another deployment changes nothing');
    actor.send({ type: 'APPROVE', deploymentId: 'd1' });
    await waitFor(actor, (s) => s.matches('idle') && h.applied.length === 1, { timeout: 10_000 });
    assert.deepEqual(h.applied, [{ commit: 'c1', deploymentId: 'd1' }]);
    assert.deepEqual(h.calls, ['fetch:manual:c1', 'fetch:manual:c1']);
    assert.equal(actor.getSnapshot().context.approval, null);
  });

  test('REJECT ends the wait without deploying (the caller ends the row)', async () => {
    const h = harness();
    const actor = startStack(h);
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waiting(actor);
    actor.send({ type: 'REJECT', deploymentId: 'd1' });
    const snapshot = await idle(actor);
    assert.equal(snapshot.context.approval, null);
    assert.equal(h.applied.length, 0);
  });

  test('a push of a newer commit replaces the waiting plan: the new plan is recorded naming the old one', async () => {
    const h = harness();
    const actor = startStack(h);
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waiting(actor);
    h.head = 'c2';
    actor.send({ type: 'WEBHOOK_PUSH', deploymentId: 'd2' });
    await waitFor(actor, (s) => s.matches({ awaiting_approval: 'waiting' }) && s.context.approval?.deploymentId === 'd2', { timeout: 10_000 });
    assert.deepEqual(h.recorded[1]!.replaces, { deploymentId: 'd1', commit: 'c1', trigger: 'manual' });
    assert.equal(h.recorded[1]!.commit, 'c2');
    assert.equal(h.applied.length, 0);
  });

  test('a timer that finds the same commit leaves the plan waiting; one that finds a newer commit replaces it', async () => {
    const clock = new SimulatedClock();
    const h = harness();
    const actor = startStack(h, {}, clock);
    actor.send({ type: 'SYNC' });
    const first = await waiting(actor);
    clock.increment(40_000);
    await waitFor(actor, () => h.calls.length === 2, { timeout: 10_000 });
    assert.deepEqual(await waiting(actor), first, 'the same plan waits on');
    assert.equal(actor.getSnapshot().context.deploymentId, first.deploymentId, 'and is the deployment the state shows');
    assert.equal(h.recorded.length, 1, 'no new row for the same commit');
    h.head = 'c2';
    clock.increment(40_000);
    await waitFor(actor, () => h.recorded.length === 2, { timeout: 10_000 });
    const second = await waiting(actor);
    assert.equal(second.commit, 'c2');
    assert.deepEqual(h.recorded[1]!.replaces, first);
  });

  test('a rollback is never gated, and ends the waiting plan skipped', async () => {
    const h = harness();
    const actor = startStack(h);
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waiting(actor);
    actor.send({ type: 'ROLLBACK', deploymentId: 'r1', rollbackTo: 'old' });
    // An operator's rollback pins the stack (paused) afterwards.
    await waitFor(actor, (s) => s.matches('paused') && h.applied.length === 1, { timeout: 10_000 });
    assert.equal(h.applied[0]!.deploymentId, 'r1');
    assert.deepEqual(h.ended.map((e) => [e.deploymentId, e.status]), [['d1', 'skipped']]);
    assert.match(h.ended[0]!.message, /replaced by deployment r1/);
  });

  test('paused, the plan keeps waiting; deleted, it ends skipped', async () => {
    const h = harness();
    const actor = startStack(h);
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waiting(actor);
    actor.send({ type: 'PAUSE' });
    actor.send({ type: 'WEBHOOK_PUSH', deploymentId: 'd2' });
    assert.ok(actor.getSnapshot().matches({ awaiting_approval: 'waiting' }));
    assert.deepEqual(h.ended.map((e) => [e.deploymentId, e.status]), [['d2', 'skipped']], 'a push while paused is skipped');
    actor.send({ type: 'DELETE' });
    await waitFor(actor, (s) => s.status === 'done', { timeout: 10_000 });
    assert.deepEqual(h.ended.map((e) => [e.deploymentId, e.status]), [['d2', 'skipped'], ['d1', 'skipped']]);
  });

  test('a stack started with a plan left waiting (daemon restart) waits for it again without planning', async () => {
    const h = harness();
    const approval: PendingApproval = { deploymentId: 'd9', commit: 'c0', trigger: 'webhook' };
    const actor = startStack(h, { approval });
    assert.deepEqual(await waiting(actor), approval);
    assert.equal(h.calls.length, 0);
    actor.send({ type: 'APPROVE', deploymentId: 'd9' });
    await waitFor(actor, (s) => s.matches('idle') && h.applied.length === 1, { timeout: 10_000 });
    assert.deepEqual(h.applied, [{ commit: 'c0', deploymentId: 'd9' }]);
  });

  test('without requires_approval nothing waits', async () => {
    const h = harness();
    const actor = startStack(h, { requiresApproval: false });
    actor.send({ type: 'DEPLOY', deploymentId: 'd1' });
    await waitFor(actor, (s) => s.matches('idle') && h.applied.length === 1, { timeout: 10_000 });
    assert.equal(h.recorded.length, 0);
  });
});
