import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { AcceleroEvent } from '../../actors/event-bus.ts';
import type { CycleRequest } from '../../machines/stack.types.ts';
import type { DeploymentRecord, StackRecord } from '../../persistence/entities/records.ts';
import type { ComposeProject } from '../../src/compose/types.ts';
import type { ApplyResult, DockerEngine, DriftItem } from '../../src/docker/index.ts';
import type { SourceRevision } from '../../src/git/index.ts';
import { quickly } from '../support/eventually.ts';
import { driftItem, fakeEngine, plannedAction, stackDiff } from '../support/fake-engine.ts';
import { fakeSha } from '../support/fake-git.ts';
import { stackRecord } from '../support/stack-record.ts';
import { startTestCore, type TestCore } from '../support/test-core.ts';
import { snapshot } from '../persistence/helpers.ts';

// The steps the stack machine invokes, one by one, with git, compose and Docker faked and the
// stores on a real SQLite file: what each step reads, writes and hands on.

const manual: CycleRequest = { trigger: 'manual', deploy: true };

async function setup(t: TestContext, engine: Partial<DockerEngine> = {}, row: Partial<StackRecord> = {}) {
  const core = await startTestCore({ engine: fakeEngine(engine) });
  t.after(() => core.close());
  const stack = await core.stores.stacks.insert(stackRecord(`steps-${core.dataDir.slice(-6).toLowerCase()}`, row));
  const events: AcceleroEvent[] = [];
  core.bus.subscribe((event) => events.push(event));
  return { core, steps: core.steps, stack, events };
}

function revisionOf(stack: StackRecord, commit = fakeSha('head')): SourceRevision {
  const directory = `/exports/${stack.name}/${commit}`;
  return { stack: stack.name, ref: 'main', commit, directory, composeFile: `${directory}/docker-compose.yaml`, changedPaths: [], unchanged: false };
}

const projectOf = (stack: StackRecord): ComposeProject =>
  ({ name: stack.name, workingDir: '/exports', composeFile: '/exports/docker-compose.yaml', services: {}, networks: {}, volumes: {}, warnings: [] });

const applied: ApplyResult = {
  status: 'applied', changes: [{ service: 'web', action: 'recreate', from: 'web:v1', to: 'web:v2' }], imageIds: { web: 'sha256:2' }, mutated: true,
};

/** A deployment of the stack that ended with `status` on `commit`. */
async function endedDeployment(core: TestCore, stack: StackRecord, status: DeploymentRecord['status'], commit: string, imageIds: Record<string, string> = {}) {
  const id = await core.stores.deployments.begin(stack, 'manual', commit);
  await core.stores.deployments.recordChanges(id, [], imageIds);
  if (status !== 'in_progress') await core.stores.deployments.finish(id, { status });
  return id;
}

const deployment = async (core: TestCore, id: string) => (await core.stores.deployments.get(id))!;

describe('fetchSource', () => {
  test('reads the stack row, resolves its branch afresh for an operator and retains the commits in use', async (t) => {
    const { core, steps, stack } = await setup(t);
    await core.stores.stacks.update(stack.id, { repo_token_sealed: core.secrets.encrypt('tok-1'), repo_branch: 'release' });
    await endedDeployment(core, stack, 'completed', 'c-deployed');
    await endedDeployment(core, stack, 'in_progress', 'c-deploying');
    await endedDeployment(core, stack, 'failed', 'c-failed');
    const before = Date.now();
    const output = await steps.fetchSource({ stackId: stack.id, request: manual });
    assert.deepEqual(output.stack, await core.stores.stacks.find(stack.id));
    assert.equal(output.revision.commit, core.git.headOf(stack.repo_url));
    const [call] = core.git.calls;
    assert.deepEqual([call?.method, call?.spec?.url, call?.spec?.branch, call?.spec?.credentials?.token], ['resolve', stack.repo_url, 'release', 'tok-1']);
    const retain = call?.options?.retain;
    assert.deepEqual([...(typeof retain === 'function' ? await retain() : retain ?? [])].sort(), ['c-deployed', 'c-deploying']);
    assert.ok((call?.options?.refreshAfter ?? 0) >= before, 'an operator sees the branch as it is now');
  });

  test('a reconcile cycle may use a recent ls-remote answer', async (t) => {
    const { core, steps, stack } = await setup(t);
    await steps.fetchSource({ stackId: stack.id, request: { trigger: 'reconcile', deploy: false } });
    assert.equal(core.git.calls[0]?.options?.refreshAfter, undefined);
  });

  test('a rollback checks out the target deployment\'s commit and pins its image ids', async (t) => {
    const { core, steps, stack } = await setup(t);
    const target = await endedDeployment(core, stack, 'completed', 'c-old', { web: 'sha256:old' });
    const output = await steps.fetchSource({ stackId: stack.id, request: { trigger: 'rollback', deploy: true, rollbackTo: target } });
    assert.deepEqual([output.revision.commit, output.pinnedImageIds], ['c-old', { web: 'sha256:old' }]);
    const retained = async (retain: unknown) => (typeof retain === 'function' ? await retain() : retain);
    const calls = await Promise.all(core.git.calls.map(async (c) => [c.method, c.commit, await retained(c.options?.retain)]));
    assert.deepEqual(calls, [['checkout', 'c-old', ['c-old']]]);
  });

  test('a rollback to a deployment without a commit fails naming it', async (t) => {
    const { core, steps, stack } = await setup(t);
    const pending = await core.stores.deployments.createPending(stack, 'manual');
    await assert.rejects(steps.fetchSource({ stackId: stack.id, request: { trigger: 'rollback', deploy: true, rollbackTo: pending.id } }), new RegExp(pending.id));
  });

  test('a stack that no longer exists fails naming it', async (t) => {
    const { steps } = await setup(t);
    await assert.rejects(steps.fetchSource({ stackId: 'gone-id', request: manual }), /stack gone-id no longer exists/);
  });
});

describe('planChanges', () => {
  test('records drift only when its digest changed, and stamps the commit and last_reconciled_at every time', async (t) => {
    let drift: DriftItem[] = [driftItem('web')];
    const { core, steps, stack, events } = await setup(t, { diff: async () => stackDiff({ drift }) });
    const reports = async () => (await core.db.dataSource.query('SELECT has_drift FROM drift_reports WHERE stack_id = ?', [stack.id])).length;
    const plan = (driftDigest: string | null, commit: string) => steps.planChanges({ stack, revision: revisionOf(stack, commit), request: manual, driftDigest });

    const first = await plan(null, 'c1');
    assert.equal(await reports(), 1);
    const firstStamp = (await core.stores.stacks.find(stack.id))!.last_reconciled_at!;
    const second = await plan(first.driftDigest, 'c2');
    assert.equal(second.driftDigest, first.driftDigest);
    assert.equal(await reports(), 1, 'unchanged drift is not written again');
    const row = (await core.stores.stacks.find(stack.id))!;
    assert.equal(row.git_commit, 'c2');
    assert.ok(row.last_reconciled_at! >= firstStamp);

    drift = [];
    const third = await plan(second.driftDigest, 'c2');
    assert.notEqual(third.driftDigest, second.driftDigest);
    assert.equal(await reports(), 2);
    assert.equal((await core.stores.drift.latest(stack.id))?.has_drift, false);
    assert.deepEqual(events.filter((e) => e.kind === 'drift').map((e) => e.kind === 'drift' && e.drift_count), [1, 1, 0], 'watchers hear every cycle');
  });

  test('timer cycles of one tick share the engine read and stamp last_reconciled_at with one UPDATE; a new commit is written at once', async (t) => {
    const { core, steps, stack } = await setup(t, {}, { git_commit: fakeSha('c1') });
    const others = await Promise.all([1, 2, 3, 4].map((i) => core.stores.stacks.insert(stackRecord(`${stack.name}-${i}`, { git_commit: fakeSha('c1') }))));
    const stores = core.stores.stacks;
    const writes: string[] = [];
    const [stamp, update] = [stores.stampReconciled.bind(stores), stores.updateStatus.bind(stores)];
    stores.stampReconciled = (ids, at) => (writes.push(`stamp ${ids.length}`), stamp(ids, at));
    stores.updateStatus = (id, patch) => (writes.push(`update ${Object.keys(patch).sort().join(',')}`), update(id, patch));
    const timer: CycleRequest = { trigger: 'reconcile', deploy: false };

    const rows = [stack, ...others];
    await Promise.all(rows.map((row) => steps.planChanges({ stack: row, revision: revisionOf(row, fakeSha('c1')), request: timer, driftDigest: null })));
    assert.ok(core.engine.callsOf('diff').every(([, , request]) => (request as { sharedRead?: boolean }).sharedRead === true));
    await quickly(async () => (await stores.list()).every((row) => row.last_reconciled_at !== null), 'the stamps to be written');
    assert.deepEqual(writes, ['stamp 5']);

    await steps.planChanges({ stack, revision: revisionOf(stack, fakeSha('c2')), request: timer, driftDigest: null });
    assert.deepEqual(writes, ['stamp 5', 'update git_commit,last_reconciled_at']);
    assert.equal((await stores.find(stack.id))!.git_commit, fakeSha('c2'));
  });

  test('says out_of_sync when the plan changes something, with the health the engine assessed', async (t) => {
    let actions = [plannedAction('web', 'create')];
    const { steps, stack } = await setup(t, { diff: async () => stackDiff({ actions, health: 'missing' }) });
    const changing = await steps.planChanges({ stack, revision: revisionOf(stack), request: manual, driftDigest: null });
    assert.deepEqual([changing.syncStatus, changing.healthStatus, changing.plan.hasChanges], ['out_of_sync', 'missing', true]);
    actions = [plannedAction('web', 'none')];
    const quiet = await steps.planChanges({ stack, revision: revisionOf(stack), request: manual, driftDigest: null });
    assert.equal(quiet.syncStatus, 'synced');
  });

  test('diffs with the service filter and pinned image ids of the stack and cycle', async (t) => {
    const { core, steps, stack } = await setup(t, {}, { service_filter: 'web, worker' });
    await steps.planChanges({ stack, revision: revisionOf(stack), request: manual, driftDigest: null, pinnedImageIds: { web: 'sha256:p' } });
    const [[project, stackName, request]] = core.engine.callsOf('diff') as [[ComposeProject, string, { serviceFilter: string[]; pinnedImageIds: object }]];
    assert.deepEqual([project.workingDir, stackName, request.serviceFilter, request.pinnedImageIds], [revisionOf(stack).directory, stack.name, ['web', 'worker'], { web: 'sha256:p' }]);
  });
});

describe('applyPlan', () => {
  test('begins the promised deployment (pending → in_progress) and records its snapshots, steps and changes', async (t) => {
    const seen: string[] = [];
    const { core, steps, stack } = await setup(t, {
      apply: async (_plan, _project, ctx) => {
        seen.push((await deployment(core, ctx.deploymentId)).status);
        await ctx.snapshots.save(ctx.deploymentId, [snapshot('web', 'web-1', 'old-web')]);
        ctx.onProgress?.({ service: 'web', step: 'recreate', message: 'web-1 recreated' });
        return applied;
      },
    });
    const promised = await core.stores.deployments.createPending(stack, 'manual');
    const revision = revisionOf(stack, 'c-new');
    const plan = stackDiff({ actions: [plannedAction('web', 'recreate')] }).plan;
    const output = await steps.applyPlan({ stack, revision, project: projectOf(stack), plan, request: { ...manual, deploymentId: promised.id } });
    assert.deepEqual([output.deploymentId, output.outcome], [promised.id, applied]);
    assert.deepEqual(seen, ['in_progress']);
    const row = await deployment(core, promised.id);
    assert.deepEqual([row.status, row.git_commit, row.changes, row.image_ids], ['in_progress', 'c-new', applied.changes, applied.imageIds]);
    assert.deepEqual((await core.stores.snapshots.load(promised.id)).map((s) => s.containerId), ['old-web']);
    await quickly(async () => (await deployment(core, promised.id)).steps.some((s) => s.message === 'web-1 recreated'), 'the progress step');
    assert.equal((await core.stores.deployments.listForStack(stack.id)).length, 1, 'no second deployment');
  });

  test('begins a new deployment when none was promised or the promised one has ended', async (t) => {
    const { core, steps, stack } = await setup(t);
    const skipped = await core.stores.deployments.createPending(stack, 'webhook');
    await core.stores.deployments.finish(skipped.id, { status: 'skipped' });
    const input = { stack, revision: revisionOf(stack, 'c2'), project: projectOf(stack), plan: stackDiff().plan };
    const fresh = await steps.applyPlan({ ...input, request: { trigger: 'reconcile', deploy: true } });
    const afterSkip = await steps.applyPlan({ ...input, request: { trigger: 'webhook', deploy: true, deploymentId: skipped.id } });
    assert.equal(new Set([fresh.deploymentId, afterSkip.deploymentId, skipped.id]).size, 3);
    assert.deepEqual([(await deployment(core, fresh.deploymentId)).trigger, (await deployment(core, fresh.deploymentId)).status], ['reconcile', 'in_progress']);
    assert.equal((await deployment(core, skipped.id)).status, 'skipped');
  });
});

describe('verifyRollout', () => {
  test('marks the deployment completed, then removes the replaced containers from the persisted snapshots', async (t) => {
    const atRemoval: string[] = [];
    const { core, steps, stack } = await setup(t, {
      removeReplaced: async (_stackName, _snapshots) => { atRemoval.push((await deployment(core, id)).status); },
    });
    const id = await endedDeployment(core, stack, 'in_progress', 'c-new');
    await core.stores.snapshots.save(stack.id, id, [snapshot('web', 'web-1', 'old-web')]);
    const verdict = await steps.verifyRollout({ stack, project: projectOf(stack), deploymentId: id, commit: 'c-new', outcome: applied });
    assert.deepEqual(verdict, { healthy: true });
    assert.deepEqual(core.engine.callsOf('verify').map(([, name, services]) => [name, services]), [[stack.name, ['web']]]);
    assert.deepEqual(atRemoval, ['completed'], 'removal comes after the deployment is completed');
    const [[stackName, snapshots]] = core.engine.callsOf('removeReplaced') as [[string, Array<{ containerId: string }>]];
    assert.deepEqual([stackName, snapshots.map((s) => s.containerId)], [stack.name, ['old-web']]);
    const row = (await core.stores.stacks.find(stack.id))!;
    assert.equal(row.git_commit, 'c-new');
    assert.ok(row.last_deployed_at);
  });

  test('an unhealthy rollout is handed back as it is: not completed, nothing removed', async (t) => {
    const { core, steps, stack } = await setup(t, { verify: async () => ({ healthy: false, error: 'web-1 is unhealthy' }) });
    const id = await endedDeployment(core, stack, 'in_progress', 'c-new');
    const verdict = await steps.verifyRollout({ stack, project: projectOf(stack), deploymentId: id, commit: 'c-new', outcome: applied });
    assert.deepEqual(verdict, { healthy: false, error: 'web-1 is unhealthy' });
    assert.equal((await deployment(core, id)).status, 'in_progress');
    assert.deepEqual(core.engine.callsOf('removeReplaced'), []);
  });

  test('a failed removal of the replaced containers leaves the verified deployment completed', async (t) => {
    const { core, steps, stack } = await setup(t, { removeReplaced: async () => { throw new Error('engine went away'); } });
    const id = await endedDeployment(core, stack, 'in_progress', 'c-new');
    const verdict = await steps.verifyRollout({ stack, project: projectOf(stack), deploymentId: id, commit: 'c-new', outcome: applied });
    assert.equal(verdict.healthy, true);
    assert.equal((await deployment(core, id)).status, 'completed');
  });
});

describe('rollBack', () => {
  for (const status of ['rolled_back', 'interrupted'] as const) {
    test(`restores the persisted snapshots and ends the deployment ${status}, with the reason`, async (t) => {
      const { core, steps, stack } = await setup(t);
      const id = await endedDeployment(core, stack, 'in_progress', 'c-new');
      await core.stores.snapshots.save(stack.id, id, [snapshot('web', 'web-1', 'old-web'), snapshot('db', 'db-1', 'old-db')]);
      await steps.rollBack({ stackId: stack.id, stackName: stack.name, restore: { deploymentId: id, status, reason: 'web-1 is unhealthy\nlogs', blameRelease: true } });
      const [[stackName, deploymentId, snapshots]] = core.engine.callsOf('restore') as [[string, string, Array<{ containerId: string }>]];
      assert.deepEqual([stackName, deploymentId, snapshots.map((s) => s.containerId)], [stack.name, id, ['old-web', 'old-db']]);
      const row = await deployment(core, id);
      assert.deepEqual([row.status, row.error_message], [status, 'web-1 is unhealthy\nlogs']);
      await quickly(async () => (await deployment(core, id)).steps.some((s) => /restoring 2 container\(s\) from their snapshots: web-1 is unhealthy$/.test(s.message)), 'the rollback step');
    });
  }

  test('a failed restore leaves the deployment in_progress and rethrows', async (t) => {
    const failure = new Error('Docker engine not reachable');
    const { core, steps, stack } = await setup(t, { restore: async () => { throw failure; } });
    const id = await endedDeployment(core, stack, 'in_progress', 'c-new');
    const restore = { deploymentId: id, status: 'rolled_back' as const, reason: 'verification failed', blameRelease: false };
    await assert.rejects(steps.rollBack({ stackId: stack.id, stackName: stack.name, restore }), (error) => error === failure);
    assert.equal((await deployment(core, id)).status, 'in_progress');
    await quickly(async () => (await deployment(core, id)).steps.some((s) => /restoring failed, retried with backoff: Docker engine not reachable/.test(s.message)), 'the failure step');
  });
});
