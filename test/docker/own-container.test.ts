import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectOnHost } from '../../src/docker/host-paths.ts';
import { hostPathOf, hostPathWarning, ownContainerId } from '../../src/docker/own-container.ts';
import { computeDrift } from '../../src/docker/drift.ts';
import { planRollout } from '../../src/docker/plan.ts';
import { protectOwnContainer } from '../../src/docker/self-protection.ts';
import type { ActualState } from '../../src/docker/types.ts';
import { buildProject } from './fixtures.ts';

const ID = 'a'.repeat(64);

describe('own container: which one, and whether the data directory lines up', () => {
  it('reads its id from the mount of its hostname file, or else from the cgroup', async () => {
    const mountinfo = `1 0 0:1 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw - ext4 /dev/sda rw\n`;
    assert.equal(await ownContainerId(async (path) => (path.endsWith('mountinfo') ? mountinfo : '')), ID);
    assert.equal(await ownContainerId(async (path) => (path.endsWith('cgroup') ? `12:pids:/docker/${ID}\n` : '')), ID);
    assert.equal(await ownContainerId(async () => '2:cpu:/\n'), undefined);
  });

  it('finds the host path of a directory under the mount with the longest destination', () => {
    const mounts = [{ Source: '/srv', Destination: '/var' }, { Source: '/srv/accelero', Destination: '/var/lib/accelero' }];
    assert.equal(hostPathOf('/var/lib/accelero/stacks', mounts), '/srv/accelero/stacks');
    assert.equal(hostPathOf('/opt/data', mounts), undefined);
  });

  it('says nothing when the data directory is mounted at the same path, and names the fix when not', () => {
    const same = [{ Source: '/var/lib/accelero', Destination: '/var/lib/accelero' }];
    assert.equal(hostPathWarning('/var/lib/accelero/stacks', '/var/lib/accelero/stacks', same), undefined);
    const elsewhere = [{ Source: '/srv/accelero', Destination: '/var/lib/accelero' }];
    assert.match(hostPathWarning('/var/lib/accelero/stacks', '/var/lib/accelero/stacks', elsewhere)!, /is \/srv\/accelero\/stacks on the Docker host.*HOST_STACKS_DATA_DIR=\/srv\/accelero\/stacks/);
    assert.equal(hostPathWarning('/var/lib/accelero/stacks', '/srv/accelero/stacks', elsewhere), undefined);
    assert.match(hostPathWarning('/var/lib/accelero/stacks', '/var/lib/accelero/stacks', [])!, /on no mount of Accelero's container/);
  });
});

describe('HOST_STACKS_DATA_DIR', () => {
  it('maps bind sources under STACKS_DATA_DIR to the host directory and leaves others alone', () => {
    const project = buildProject('shop', { web: {} });
    project.services.web!.create.HostConfig.Binds = ['/data/stacks/shop/abc/conf:/etc/conf:ro', '/etc/hosts:/h:ro', 'named:/v:rw'];
    project.services.web!.create.HostConfig.Mounts = [{ Type: 'bind', Source: '/data/stacks/shop/abc/file', Target: '/f' }, { Type: 'volume', Source: 'v', Target: '/v2' }];
    const mapped = projectOnHost(project, { inside: '/data/stacks', host: '/srv/stacks' }).services.web!.create.HostConfig;
    assert.deepEqual(mapped.Binds, ['/srv/stacks/shop/abc/conf:/etc/conf:ro', '/etc/hosts:/h:ro', 'named:/v:rw']);
    assert.deepEqual(mapped.Mounts, [{ Type: 'bind', Source: '/srv/stacks/shop/abc/file', Target: '/f' }, { Type: 'volume', Source: 'v', Target: '/v2' }]);
    assert.deepEqual((project.services.web!.create.HostConfig.Binds as string[])[0], '/data/stacks/shop/abc/conf:/etc/conf:ro', 'the loaded project is not changed');
  });
});

describe('self-protection', () => {
  const empty: ActualState = { stackName: 'shop', containers: [], networks: {}, volumes: {}, images: {}, readAt: '' };
  const extra = (service: string, containerId: string) => ({ service, kind: 'extra' as const, expected: 'absent', actual: `shop-${service}-1`, message: 'gone', number: 1, containerId, resource: 'container' as const });

  it('never plans to remove Accelero\'s own container, but still the others', () => {
    const project = buildProject('shop', { web: {} });
    const plan = protectOwnContainer(planRollout(project, empty, [extra('accelero', ID), extra('old', 'b'.repeat(64))]), ID);
    const flat = plan.levels.flat().map((a) => [a.service, a.action]);
    assert.ok(!flat.some(([service]) => service === 'accelero'));
    assert.ok(flat.some(([service, action]) => service === 'old' && action === 'remove'));
    assert.match(plan.actions.find((a) => a.service === 'accelero')!.reason, /own container shop-accelero-1 is never stopped/);
  });

  it('leaves a plan without its container as it is', () => {
    const project = buildProject('shop', { web: {} });
    const plan = planRollout(project, empty, computeDrift(project, empty));
    assert.equal(protectOwnContainer(plan, ID), plan);
    assert.equal(protectOwnContainer(plan, undefined), plan);
  });
});
