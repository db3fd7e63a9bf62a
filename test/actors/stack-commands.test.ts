import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { StackRecord } from '../../persistence/entities/records.ts';
import { createStackSchema } from '../../src/api/stack-schema.ts';
import type { ApplyResult, DockerEngine } from '../../src/docker/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.ts';
import { quickly } from '../support/eventually.ts';
import { fakeEngine, plannedAction, stackDiff } from '../support/fake-engine.ts';
import { Gate } from '../support/gate.ts';
import { startTestCore, type TestCore } from '../support/test-core.ts';

// What the API asks of stacks, through StackCommands into a real supervisor and stack actors
// whose steps meet a fake git and a fake engine, with the stores on a real SQLite file.

const applied: ApplyResult = { status: 'applied', changes: [{ service: 'web', action: 'create', from: '', to: 'web:v1' }], imageIds: { web: 'sha256:1' }, mutated: true };

async function setup(t: TestContext, engine: Partial<DockerEngine> = {}) {
  const core = await startTestCore({ engine: fakeEngine(engine) });
  t.after(() => core.close());
  return core;
}

function create(core: TestCore, name: string): Promise<StackRecord> {
  return core.commands.create(createStackSchema.parse({ name, repo_url: `/repos/${name}`, auto_deploy: false, reconcile_interval_seconds: 0 }));
}

/** An engine whose diff always finds web to create and whose rollout waits at `gate`. */
function changesHeldAt(gate: Gate, log: string[] = []): Partial<DockerEngine> {
  return {
    diff: async (project) => stackDiff({ project: project.name, actions: [plannedAction('web')] }),
    apply: async () => {
      await gate.wait();
      log.push('applied');
      return applied;
    },
  };
}

const rowsOf = async (core: TestCore, stack: StackRecord) => (await core.stores.deployments.listForStack(stack.id)).map((d) => d.id);

describe('deploy requests', () => {
  test('a deploy while a cycle is fetching joins it: every request gets that cycle\'s deployment and no second row exists', async (t) => {
    const core = await setup(t);
    const fetching = new Gate();
    core.git.beforeResolve = () => fetching.wait();
    const stack = await create(core, 'joining');
    await fetching.entered;
    assert.equal(core.supervisor.state(stack.id)?.state, 'fetching');
    const first = await core.commands.deploy(stack.name);
    const second = await core.commands.deploy(stack.id);
    assert.equal(second.deploymentId, first.deploymentId);
    assert.deepEqual(await rowsOf(core, stack), [first.deploymentId]);
    fetching.open();
    await core.settled();
    assert.deepEqual(await rowsOf(core, stack), [first.deploymentId]);
    assert.equal((await core.stores.deployments.get(first.deploymentId))?.status, 'completed');
    assert.equal(core.git.calls.filter((c) => c.method === 'resolve').length, 1, 'one cycle did the work');
  });

  test('deploys while one runs share the one waiting deployment, whichever their trigger', async (t) => {
    const rollout = new Gate();
    const core = await setup(t, changesHeldAt(rollout));
    const stack = await create(core, 'queueing');
    await core.settled();
    const running = await core.commands.deploy(stack.name);
    await rollout.entered;
    const waiting = await core.commands.deploy(stack.name);
    const again = await core.commands.deploy(stack.name);
    const pushed = await core.commands.deploy(stack.name, 'webhook');
    assert.notEqual(waiting.deploymentId, running.deploymentId);
    assert.deepEqual([again.deploymentId, pushed.deploymentId], [waiting.deploymentId, waiting.deploymentId]);
    assert.deepEqual((await rowsOf(core, stack)).sort(), [running.deploymentId, waiting.deploymentId].sort());
    rollout.open();
    await core.settled();
    const ended = await Promise.all([running, waiting].map(async (d) => (await core.stores.deployments.get(d.deploymentId))?.status));
    assert.deepEqual(ended, ['completed', 'completed']);
    assert.equal(rollout.arrivals, 2, 'the waiting deployment had its own rollout');
  });

  test('a deploy of an unknown stack is a NotFoundError naming it', async (t) => {
    const core = await setup(t);
    await assert.rejects(core.commands.deploy('nowhere'), (error) => error instanceof NotFoundError && /"nowhere"/.test(error.message));
  });
});

describe('rollback requests', () => {
  /** Two completed deployments of c1 then c2, a failed one of c3, and a stack with none. */
  async function history(core: TestCore) {
    const stack = await create(core, 'history');
    const other = await create(core, 'other');
    await core.settled();
    const ended = async (commit: string, status: 'completed' | 'failed', second: number) => {
      const id = await core.stores.deployments.begin(stack, 'manual', commit);
      await core.stores.deployments.finish(id, { status, started_at: `2026-01-01T00:00:0${second}.000Z` });
      return id;
    };
    return { stack, other, c1: await ended('c1', 'completed', 1), c2: await ended('c2', 'completed', 2), c3: await ended('c3', 'failed', 3) };
  }

  test('an unknown deployment, or one of another stack, is a 404 naming it', async (t) => {
    const core = await setup(t);
    const { stack, other, c1 } = await history(core);
    const notFound = (id: string) => (error: unknown) => error instanceof NotFoundError && error.status === 404 && error.message.includes(id);
    await assert.rejects(core.commands.rollback(stack.name, 'no-such-deployment'), notFound('no-such-deployment'));
    await assert.rejects(core.commands.rollback(other.name, c1), notFound(c1));
  });

  test('a deployment that did not complete is a 409 saying its status', async (t) => {
    const core = await setup(t);
    const { stack, c3 } = await history(core);
    await assert.rejects(core.commands.rollback(stack.name, c3), (error) => error instanceof ConflictError && error.status === 409 && /is failed/.test(error.message));
  });

  test('a stack without a completed deployment of another commit is a 409 naming the stack', async (t) => {
    const core = await setup(t);
    const { other } = await history(core);
    const same = await core.stores.deployments.begin(other, 'manual', 'c9');
    await core.stores.deployments.finish(same, { status: 'completed' });
    await assert.rejects(core.commands.rollback(other.name), (error) => error instanceof ConflictError && /"other"/.test(error.message));
  });

  test('by default the target is the last completed deployment of another commit; a rollback row is promised', async (t) => {
    const core = await setup(t);
    const { stack, c1 } = await history(core);
    const { deploymentId, target } = await core.commands.rollback(stack.name);
    assert.equal(target.id, c1);
    const row = await core.stores.deployments.get(deploymentId);
    assert.deepEqual([row?.trigger, row?.stack_id], ['rollback', stack.id]);
    await core.settled();
    assert.ok(core.git.calls.some((c) => c.method === 'checkout' && c.commit === 'c1'), 'the cycle checks out the target commit');
  });
});

describe('stack settings', () => {
  test('update refuses a rename with a ValidationError on name and changes nothing', async (t) => {
    const core = await setup(t);
    const stack = await create(core, 'named');
    await assert.rejects(core.commands.update(stack.name, { name: 'renamed', repo_branch: 'next' }),
      (error) => error instanceof ValidationError && error.field === 'name' && /labelled/.test(error.message));
    const row = await core.stores.stacks.find(stack.id);
    assert.deepEqual([row?.name, row?.repo_branch, row?.updated_at], ['named', 'main', stack.updated_at]);
  });

  test('update seals new secrets and hands the new settings to the stack actor', async (t) => {
    const core = await setup(t);
    const stack = await create(core, 'tuned');
    const { stack: updated } = await core.commands.update(stack.name, { name: 'tuned', auto_deploy: true, reconcile_interval_seconds: 30, repo_token: 'tok-2' });
    assert.notEqual(updated.repo_token_sealed, 'tok-2');
    assert.equal(core.secrets.decrypt(updated.repo_token_sealed!), 'tok-2');
    await quickly(async () => {
      const context = core.supervisor.stackSnapshot(stack.id)?.context;
      return context?.autoDeploy === true && context.reconcileIntervalMs === 30_000;
    }, 'the actor to take the new settings');
  });
});

describe('deleting a stack', () => {
  test('goes through StackRemoval: containers and volumes when asked, rows, exports, the actor', async (t) => {
    const core = await setup(t);
    const stack = await create(core, 'doomed');
    await core.commands.deploy(stack.name);
    await core.settled();
    await core.commands.delete(stack.name, { removeContainers: true, removeVolumes: true });
    assert.deepEqual(core.engine.callsOf('removeStack'), [['doomed', { volumes: true }]]);
    assert.ok(core.git.calls.some((c) => c.method === 'forget' && c.stack === 'doomed'), 'the exports are forgotten');
    assert.equal(await core.stores.stacks.find(stack.id), null);
    assert.deepEqual([await rowsOf(core, stack), await core.stores.transitions.listForStack(stack.id, 10)], [[], []]);
    assert.equal(core.supervisor.has(stack.id), false);
  });

  test('waits for a running deploy to reach a safe point before removing anything', async (t) => {
    const rollout = new Gate();
    const order: string[] = [];
    const core = await setup(t, { ...changesHeldAt(rollout, order), removeStack: async () => { order.push('removed'); } });
    const stack = await create(core, 'busy');
    await core.settled();
    await core.commands.deploy(stack.name);
    await rollout.entered;
    const deleting = core.commands.delete(stack.name, { removeContainers: true, removeVolumes: false });
    await quickly(async () => core.supervisor.stackSnapshot(stack.id)?.context.deleteRequested, 'the actor to hear DELETE');
    rollout.open();
    await deleting;
    assert.deepEqual(order, ['applied', 'removed']);
    assert.equal(await core.stores.stacks.find(stack.id), null);
  });

  test('an unknown stack is a NotFoundError and removes nothing', async (t) => {
    const core = await setup(t);
    await assert.rejects(core.commands.delete('ghost', { removeContainers: true, removeVolumes: true }), NotFoundError);
    assert.deepEqual(core.engine.callsOf('removeStack'), []);
  });
});
