import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDockerEngine } from '../../src/docker/index.ts';
import { cleanupStack, docker, runningIds, uniqueStackName } from '../support/docker.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';
import { buildProject } from './fixtures.ts';
import { engine, finishCycle, MemorySnapshotStore, planFor, reconcile } from './reconcile.ts';

describe('images from a private registry with credentials', { timeout: 180_000 }, () => {
  let registry: TestRegistry;
  const stack = uniqueStackName('registry');
  let ref = '';
  let firstImageId = '';
  const imageId = async (tag: string): Promise<string> => (await docker.getImage(tag).inspect()).Id;
  const auth = () => [{ registry: registry.host, username: registry.username, password: registry.password }];
  const project = () => buildProject(stack, { web: { image: ref, pullPolicy: 'always' } });

  before(async () => {
    registry = await startRegistry();
    ref = await registry.push('accelero-test/web:v1', 'team/web:stable');
  });
  after(async () => {
    await cleanupStack(stack);
    if (ref) await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    await registry?.stop();
  });

  it('detects a new image pushed under the same tag and rolls it out', async () => {
    const first = await reconcile(stack, project(), { registryAuth: auth(), pull: true });
    assert.equal(first.result.status, 'completed', first.result.error);
    const [oldId] = await runningIds(stack, 'web');
    firstImageId = first.result.imageIds.web!;
    await registry.push('accelero-test/web:v2', 'team/web:stable');
    // The host still has the old image under the tag, as a host that has not pulled yet.
    await docker.getImage('accelero-test/web:v1').tag({ repo: ref.slice(0, ref.lastIndexOf(':')), tag: 'stable' });
    const { plan, result } = await reconcile(stack, project(), { registryAuth: auth(), pull: true });
    assert.match(plan.actions[0]?.reason ?? '', /image_mismatch: .*now resolves to/);
    assert.equal(result.status, 'completed', result.error);
    assert.equal(result.imageIds.web, await imageId('accelero-test/web:v2'));
    const [newId] = await runningIds(stack, 'web');
    assert.notEqual(newId, oldId);
    assert.equal((await docker.getContainer(newId!).inspect()).Image, await imageId('accelero-test/web:v2'));
  });

  it('fails a pull without credentials with a clear error and leaves the running container untouched', async () => {
    const fresh = createDockerEngine(docker);
    await assert.rejects(fresh.diff(project(), stack), /service web: pulling .*team\/web:stable failed \(no registry credentials/);
    const before = await runningIds(stack, 'web');
    await docker.getImage('accelero-test/web:v1').tag({ repo: ref.slice(0, ref.lastIndexOf(':')), tag: 'stable' });
    const plan = await planFor(stack, project());
    assert.equal(plan.actions[0]?.action, 'recreate');
    const result = await fresh.apply(plan, project(), { stackName: stack, deploymentId: 'no-creds', commit: 'c', snapshots: new MemorySnapshotStore() });
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /pulling .* failed/);
    assert.deepEqual(await runningIds(stack, 'web'), before);
  });

  it('runs exactly the recorded image id of an earlier deployment when rolled back to it, although the tag moved on', async () => {
    await engine.diff(project(), stack, { registryAuth: auth() });
    assert.equal(await imageId(ref), await imageId('accelero-test/web:v2'), 'the tag names v2 again');
    const pinned = { web: firstImageId };
    const { plan } = await engine.diff(project(), stack, { pinnedImageIds: pinned, pull: false });
    assert.equal(plan.actions[0]?.action, 'recreate');
    const store = new MemorySnapshotStore();
    const ctx = { stackName: stack, deploymentId: 'rollback-to-first', commit: 'c', snapshots: store, pinnedImageIds: pinned, registryAuth: auth() };
    const applied = await engine.apply(plan, project(), ctx);
    const result = await finishCycle(stack, project(), applied, store.saved.get(ctx.deploymentId) ?? [], ctx.deploymentId);
    assert.equal(result.status, 'completed', result.error);
    const [id] = await runningIds(stack, 'web');
    assert.equal((await docker.getContainer(id!).inspect()).Image, firstImageId);
    assert.equal((await engine.diff(project(), stack, { pinnedImageIds: pinned, pull: false })).plan.hasChanges, false);
  });
});
