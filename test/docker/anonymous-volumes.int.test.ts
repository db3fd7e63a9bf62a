import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadComposeProject } from '../../src/compose/index.ts';
import { allContainers, cleanupStack, docker, uniqueStackName } from '../support/docker.ts';
import { reconcile } from './reconcile.ts';

// A database image declares a VOLUME: its data lives in an anonymous volume. A recreate must
// hand that volume to the new container (as compose does), never start over with an empty one.

const composeFile = (mode: string) => `
services:
  db:
    image: accelero-test/busybox:latest
    command: ["sh", "-c", "test -f /data/created || date > /data/created; exec sleep 86400"]
    init: true
    environment:
      MODE: ${mode}
    volumes:
      - /data
    stop_grace_period: 1s
    deploy:
      update_config:
        order: start-first
        monitor: 1s
`;

describe('anonymous volumes across a recreate', { timeout: 120_000 }, () => {
  const stack = uniqueStackName('anonvol');
  let dir = '';
  const volumes = new Set<string>();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accelero-compose-'));
  });
  after(async () => {
    await cleanupStack(stack);
    // Anonymous volumes carry no label: remove the ones this test saw, once no container uses them.
    for (const name of volumes) await docker.getVolume(name).remove().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  async function deploy(mode: string) {
    await writeFile(join(dir, 'compose.yaml'), composeFile(mode));
    return reconcile(stack, await loadComposeProject({ projectDir: dir, projectName: stack, environment: {} }));
  }
  const dbContainer = async () => (await allContainers(stack)).find((c) => c.Labels['accelero.service'] === 'db')!;
  const dataVolume = async (id: string) => {
    const mount = (await docker.getContainer(id).inspect()).Mounts.find((m) => m.Destination === '/data')!;
    volumes.add(mount.Name!);
    return mount;
  };
  const readCreated = async (id: string) => {
    const exec = await docker.getContainer(id).exec({ Cmd: ['cat', '/data/created'], AttachStdout: true });
    const stream = await exec.start({});
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/[\x00-\x08]/g, '').trim();
  };

  it('keeps the anonymous volume and its data when the service is recreated, stop-first', async () => {
    const first = await deploy('one');
    assert.equal(first.result.status, 'completed', first.result.error);
    const before = await dbContainer();
    const volume = (await dataVolume(before.Id)).Name!;
    const created = await readCreated(before.Id);
    assert.ok(created.length > 0);

    const second = await deploy('two');
    assert.equal(second.result.status, 'completed', second.result.error);
    const action = second.plan.actions.find((a) => a.service === 'db')!;
    assert.equal(action.action, 'recreate');
    assert.equal(action.order, 'stop-first', 'two containers must not share the data directory');
    const after = await dbContainer();
    assert.notEqual(after.Id, before.Id);
    assert.equal((await dataVolume(after.Id)).Name, volume);
    assert.equal(await readCreated(after.Id), created);
    assert.ok((await docker.listVolumes()).Volumes?.some((v) => v.Name === volume), 'the volume still exists');
  });
});
