import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resourceLists } from '../../src/docker/stack-resources.ts';
import { cleanupStack, docker, uniqueStackName } from '../support/docker.ts';

// The images, volumes and networks of stacks on the real engine, found by label and through
// the containers that use them.

describe('images, volumes and networks of stacks', () => {
  const stack = uniqueStackName('res');
  const other = uniqueStackName('res-other');
  const lists = resourceLists(docker);
  const labels = (name: string) => ({ 'accelero.stack': name });
  let containerName = '';

  before(async () => {
    const network = await docker.createNetwork({ Name: `${stack}_default`, Labels: labels(stack) });
    await docker.createVolume({ Name: `${stack}_data`, Labels: labels(stack) });
    containerName = `${stack}-app-1`;
    const container = await docker.createContainer({
      name: containerName, Image: 'accelero-test/busybox', Cmd: ['sleep', '600'], Labels: labels(stack), Volumes: { '/scratch': {} },
      HostConfig: { Binds: [`${stack}_data:/data`], NetworkMode: network.id },
    });
    await container.start();
    await docker.createContainer({ name: `${other}-app-1`, Image: 'accelero-test/busybox', Cmd: ['true'], Labels: labels(other), HostConfig: { NetworkMode: 'none' } });
  });

  after(async () => {
    await cleanupStack(stack);
    await cleanupStack(other);
  });

  test("a stack's image is listed with the stack's containers that use it", async () => {
    const images = await lists.images([stack]);
    assert.equal(images.length, 1);
    assert.ok(images[0]!.tags.includes('accelero-test/busybox:latest'), images[0]!.tags.join());
    assert.deepEqual([images[0]!.stack, images[0]!.usedBy], [stack, [containerName]]);
    assert.ok(images[0]!.sizeBytes > 0);
  });

  test('without a scope an image used by two stacks is listed once for each', async () => {
    const ours = (await lists.images()).filter((i) => i.stack === stack || i.stack === other);
    assert.deepEqual(ours.map((i) => i.stack).sort(), [other, stack].sort());
  });

  test('the labelled volume and the anonymous one its container mounts are both listed, told apart', async () => {
    const volumes = await lists.volumes([stack]);
    const named = volumes.find((v) => v.name === `${stack}_data`);
    const anonymous = volumes.find((v) => v.anonymous);
    assert.deepEqual(named && [named.anonymous, named.usedBy], [false, [containerName]]);
    assert.deepEqual(anonymous && [anonymous.stack, anonymous.usedBy], [stack, [containerName]]);
    assert.equal(volumes.length, 2);
  });

  test("the stack's network is listed with the containers attached to it", async () => {
    const networks = await lists.networks([stack]);
    assert.deepEqual(networks.map((n) => [n.name, n.stack, n.usedBy]), [[`${stack}_default`, stack, [containerName]]]);
  });

  test("another stack's objects are not in a stack's lists", async () => {
    for (const list of [await lists.images([other]), await lists.networks([other])]) {
      assert.equal(list.some((entry) => entry.stack === stack), false);
    }
    assert.deepEqual(await lists.volumes([other]), []);
  });
});
