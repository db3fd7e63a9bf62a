import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { computeDrift } from '../../src/docker/index.ts';
import { snapshotContainer } from '../../src/docker/snapshots.ts';
import { allContainers, cleanupStack, docker, runningIds, uniqueStackName } from '../support/docker.ts';
import { buildProject } from './fixtures.ts';
import { actualState, engine, planFor, reconcile } from './reconcile.ts';

describe('stack identity, jobs and snapshots on the real engine', { timeout: 120_000 }, () => {
  const stacks: string[] = [];
  after(async () => { for (const s of stacks) await cleanupStack(s); });
  const newStack = (prefix: string): string => { const s = uniqueStackName(prefix); stacks.push(s); return s; };

  it('never touches the containers of another stack that also has a service web', async () => {
    const a = newStack('twin');
    const b = newStack('twin');
    await reconcile(a, buildProject(a, { web: { env: { V: '1' } } }));
    await reconcile(b, buildProject(b, { web: { env: { V: '1' } } }));
    const bWeb = await runningIds(b, 'web');
    const actualA = await actualState(a, buildProject(a, { web: {} }));
    assert.deepEqual(actualA.containers.map((c) => c.name), [`${a}-web-1`]);
    assert.equal((await reconcile(a, buildProject(a, { web: { env: { V: '2' } } }))).result.status, 'completed');
    await engine.removeStack(a, { volumes: true });
    assert.deepEqual(await allContainers(a), []);
    assert.deepEqual(await runningIds(b, 'web'), bWeb);
  });

  it('does not redeploy a one-shot job that exited 0 on the next reconcile', async () => {
    const stack = newStack('job');
    const services = {
      migrate: { command: ['sh', '-c', 'echo migrated'], restart: 'no' },
      web: { dependsOn: { migrate: 'service_completed_successfully' as const } },
    };
    const first = await reconcile(stack, buildProject(stack, services));
    assert.equal(first.result.status, 'completed', first.result.error);
    const [job] = (await allContainers(stack)).filter((c) => c.Labels['accelero.service'] === 'migrate');
    assert.equal(job?.State, 'exited');
    const project = buildProject(stack, services);
    assert.deepEqual(computeDrift(project, await actualState(stack, project)), []);
    const plan = await planFor(stack, project);
    assert.equal(plan.hasChanges, false);
  });

  it('recreates a container that is gone from its snapshot, on the same image id and name', async () => {
    const stack = newStack('snap');
    await reconcile(stack, buildProject(stack, { web: { env: { V: '1' } } }));
    const [id] = await runningIds(stack, 'web');
    const snapshot = await snapshotContainer(docker, 'web', 1, id!, { stack });
    await docker.getContainer(id!).remove({ force: true });
    await engine.restore(stack, 'crashed-deployment', [snapshot]);
    const [restored] = await allContainers(stack);
    assert.equal(restored?.Names[0], `/${stack}-web-1`);
    assert.equal(restored?.ImageID, snapshot.imageId);
    assert.equal(restored?.State, 'running');
    assert.ok(Object.keys(restored!.NetworkSettings.Networks).includes(`${stack}_default`));
  });
});
