import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { docker as mainEngine, uniqueStackName } from '../support/docker.ts';
import { startTestEngine, type TestEngine } from '../support/test-engine.ts';

// The harness itself: a private engine that can be restarted and frozen without the main
// engine (and the other tests on it) noticing.

/** A busybox process that exits on SIGTERM, so stops and daemon restarts do not wait 10 s. */
const QUICK_TO_STOP = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000 & wait'];

describe('private test engine', () => {
  let engine: TestEngine;
  const stack = uniqueStackName('engine');
  const labels = { 'accelero.stack': stack };

  before(async () => {
    engine = await startTestEngine();
    await engine.docker.createNetwork({ Name: `${stack}_default`, Labels: labels });
  });
  after(async () => {
    await engine?.cleanup();
  });

  async function runContainer(name: string, restart: string): Promise<Dockerode.Container> {
    const container = await engine.docker.createContainer({
      name: `${stack}-${name}`, Image: 'accelero-test/busybox', Cmd: QUICK_TO_STOP, Labels: labels,
      HostConfig: { NetworkMode: `${stack}_default`, RestartPolicy: { Name: restart } },
    });
    await container.start();
    return container;
  }

  it('runs containers on a user-defined bridge network that the main engine does not see', async () => {
    const container = await runContainer('web', 'no');
    const info = await container.inspect();
    assert.equal(info.State.Running, true);
    const address = info.NetworkSettings.Networks[`${stack}_default`]?.IPAddress ?? '';
    assert.ok(address.startsWith(engine.addressPool.split('.').slice(0, 2).join('.') + '.'), `${address} in ${engine.addressPool}`);

    const filters = { label: [`accelero.stack=${stack}`] };
    assert.equal((await engine.docker.listContainers({ all: true, filters })).length, 1);
    assert.deepEqual(await mainEngine.listContainers({ all: true, filters }), []);
    assert.deepEqual(await mainEngine.listNetworks({ filters }), []);
    await assert.rejects(mainEngine.getContainer(info.Id).inspect(), (error: { statusCode?: number }) => error.statusCode === 404);
    await container.remove({ force: true });
  });

  it('keeps containers across a restart; only those whose restart policy says so run again', async () => {
    const once = await runContainer('once', 'no');
    const always = await runContainer('always', 'always');
    const pidBefore = engine.pid();

    await engine.restart();

    assert.notEqual(engine.pid(), pidBefore);
    const [onceAfter, alwaysAfter] = await Promise.all([once.inspect(), always.inspect()]);
    assert.equal(onceAfter.State.Running, false, 'a restart: no container comes back stopped');
    assert.equal(onceAfter.State.Status, 'exited');
    assert.equal(alwaysAfter.State.Running, true, 'a restart: always container is started again');
    await Promise.all([once.remove({ force: true }), always.remove({ force: true })]);
  });

  it('freeze makes calls hang, not fail, until thaw', async () => {
    engine.freeze();
    let outcome = 'pending';
    const ping = engine.docker.ping().then(() => (outcome = 'answered'), (error: Error) => (outcome = `failed: ${error.message}`));
    try {
      await sleep(2_000);
      assert.equal(outcome, 'pending', 'a frozen engine neither answers nor refuses');
    } finally {
      engine.thaw();
    }
    await ping;
    assert.equal(outcome, 'answered', 'the same call is answered once the engine thaws');
  });

  it('stop makes the socket refuse; start brings the same engine back', async () => {
    const container = await runContainer('kept', 'no');
    await engine.stop();
    assert.equal(engine.pid(), undefined);
    await assert.rejects(engine.docker.ping(), (error: NodeJS.ErrnoException) => ['ENOENT', 'ECONNREFUSED'].includes(error.code ?? ''));

    await engine.start();
    assert.equal((await container.inspect()).State.Status, 'exited');
    await container.remove({ force: true });
  });
});
