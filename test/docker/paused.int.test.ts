import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanupStack, docker, runningIds, uniqueStackName } from '../support/docker.ts';
import { buildProject } from './fixtures.ts';
import { reconcile } from './reconcile.ts';

describe('a paused container', { timeout: 120_000 }, () => {
  const stack = uniqueStackName('paused');
  after(() => cleanupStack(stack));

  it('is unpaused by the next reconcile, keeping its container', async () => {
    const project = buildProject(stack, { web: { update: { monitorMs: 1000 } } });
    const first = await reconcile(stack, project);
    assert.equal(first.result.status, 'completed', first.result.error);
    const [id] = await runningIds(stack, 'web');
    await docker.getContainer(id!).pause();

    const second = await reconcile(stack, project);
    assert.deepEqual(second.plan.actions.map((a) => [a.service, a.action]), [['web', 'start']]);
    assert.equal(second.result.status, 'completed', second.result.error);
    const state = (await docker.getContainer(id!).inspect()).State;
    assert.equal(state.Paused, false);
    assert.equal(state.Running, true);
  });
});
