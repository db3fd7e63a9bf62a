import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { loadConfig } from '../../src/config/config.ts';
import { createDockerClient } from '../../src/docker/client.ts';
import { engine as engineCall, isEngineUnavailable } from '../../src/docker/engine-errors.ts';
import { DockerError } from '../../src/errors.ts';
import { uniqueStackName } from '../support/docker.ts';
import { startTestEngine, type TestEngine } from '../support/test-engine.ts';

// DOCKER_TIMEOUT on a private engine that is frozen (SIGSTOP: calls hang) or stopped (calls
// are refused). Guards are generous: they only catch a call that never ends.

const GUARD_MS = 60_000;

function guarded<T>(call: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${GUARD_MS / 1000} s`)), GUARD_MS);
  });
  return Promise.race([call, guard]).finally(() => clearTimeout(timer));
}

function isFault(code: string, ...words: string[]) {
  return (error: unknown) => {
    assert.ok(error instanceof DockerError, `a DockerError, not ${error}`);
    assert.equal(error.code, code, error.message);
    for (const word of words) assert.match(error.message, new RegExp(word));
    assert.equal(isEngineUnavailable(error), true);
    return true;
  };
}

describe('DOCKER_TIMEOUT against a frozen or stopped engine', () => {
  let engine: TestEngine;
  let client: Dockerode;
  const stack = uniqueStackName('timeouts');
  const labels = { 'accelero.stack': stack };
  const filters = { label: [`accelero.stack=${stack}`] };

  before(async () => {
    engine = await startTestEngine();
    client = createDockerClient(loadConfig({ DOCKER_HOST: engine.dockerHost, DOCKER_TIMEOUT: '2s' }));
  });
  after(async () => {
    await engine?.cleanup();
  });

  const create = (name: string, cmd: string[], extra: Partial<Dockerode.ContainerCreateOptions> = {}) =>
    client.createContainer({ name: `${stack}-${name}`, Image: 'accelero-test/busybox', Cmd: cmd, Labels: labels, HostConfig: { NetworkMode: 'none' }, ...extra });

  it('ping, list, create and inspect of a frozen engine fail with docker_timeout; thawed, the same client works', async () => {
    const existing = await create('existing', ['true']);
    engine.freeze();
    try {
      const calls: [string, () => Promise<unknown>][] = [
        ['GET /_ping', () => client.ping()],
        ['GET /containers/json', () => client.listContainers({ all: true, filters })],
        ['POST /containers/create', () => create('frozen', ['true'])],
        [`GET /containers/${existing.id.slice(0, 12)}/json`, () => client.getContainer(existing.id).inspect()],
      ];
      await Promise.all(calls.map(([request, call]) =>
        assert.rejects(guarded(call(), request), isFault('docker_timeout', request, 'DOCKER_TIMEOUT', engine.socketPath))));
    } finally {
      engine.thaw();
    }
    assert.equal(await client.ping().then(String), 'OK');
    const listed = await client.listContainers({ all: true, filters });
    assert.ok(listed.some((c) => c.Id === existing.id));
    assert.equal((await client.getContainer(existing.id).inspect()).Id, existing.id);
  });

  it('says what was being done and for which stack and service when the call went through engine()', async () => {
    engine.freeze();
    try {
      const where = { stack, service: 'web' };
      await assert.rejects(guarded(engineCall('listing containers', where, () => client.listContainers({ filters })), 'engine()'),
        isFault('docker_timeout', `stack ${stack}, service web: listing containers failed`, 'DOCKER_TIMEOUT=?'));
    } finally {
      engine.thaw();
    }
  });

  it('a stopped engine fails calls fast with docker_unavailable, and they work once it is back', async () => {
    await engine.stop();
    try {
      await assert.rejects(guarded(client.ping(), 'ping'), isFault('docker_unavailable', 'not reachable', engine.socketPath));
      await assert.rejects(guarded(client.listContainers({ filters }), 'list'), isFault('docker_unavailable', 'GET /containers/json'));
      await assert.rejects(guarded(engineCall('listing containers', { stack }, () => client.listContainers({ filters })), 'engine()'),
        isFault('docker_unavailable', `stack ${stack}: listing containers failed`));
    } finally {
      await engine.start();
    }
    assert.equal(await client.ping().then(String), 'OK');
  });

  it('a stop whose grace period is longer than DOCKER_TIMEOUT is not cut short', async () => {
    const stubborn = await create('stubborn', ['sh', '-c', 'trap "" TERM; sleep 1000 & wait; sleep 1000']);
    await stubborn.start();
    await guarded(client.getContainer(stubborn.id).stop({ t: 4 }), 'stop t=4');
    const state = (await client.getContainer(stubborn.id).inspect()).State;
    assert.equal(state.Running, false);
    assert.equal(state.ExitCode, 137, 'killed at the end of the grace period, not given up on');
  });

  it('a stop without t waits for the container\'s own StopTimeout (stop_grace_period)', async () => {
    const stubborn = await create('own-grace', ['sh', '-c', 'trap "" TERM; sleep 1000 & wait; sleep 1000'], { StopTimeout: 4 });
    await stubborn.start();
    await guarded(client.getContainer(stubborn.id).stop(), 'stop');
    assert.equal((await client.getContainer(stubborn.id).inspect()).State.ExitCode, 137);
  });

  it('an events stream quieter than DOCKER_TIMEOUT stays open', async () => {
    const events = await client.getEvents({ filters: { label: [`accelero.stack=${stack}`], event: ['create'] } });
    try {
      const seen = new Promise<string>((resolve, reject) => {
        events.once('data', (chunk: Buffer) => resolve(chunk.toString()));
        events.once('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // longer than DOCKER_TIMEOUT, nothing happens
      await create('late', ['true']);
      assert.match(await guarded(seen, 'the create event'), /"create"/);
    } finally {
      (events as unknown as { destroy(): void }).destroy();
    }
  });
});
