import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { isEngineUnavailable } from '../../src/docker/engine-errors.ts';
import { verifyContainer } from '../../src/docker/health.ts';
import { silentLogger } from '../../src/docker/logger.ts';
import { StackEvents } from '../../src/docker/stack-events.ts';
import { cleanupStack, docker, uniqueStackName } from '../support/docker.ts';

// The rollout's event stream through a socket in front of the real engine that can be cut:
// while it is cut the watch says it is blind (waiters poll inspect, which reports the engine
// as unavailable), and once the engine answers again it reconnects and the engine replays what
// happened meanwhile.

const GUARD_MS = 30_000;

/** A unix socket forwarding to the engine; `cut` drops every connection and stops listening. */
class CuttableEngine {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  constructor(readonly path: string) {}
  async listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(process.env.DOCKER_SOCK ?? '/var/run/docker.sock');
      this.sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      for (const s of [client, upstream]) s.on('error', () => undefined).on('close', () => { client.destroy(); upstream.destroy(); this.sockets.delete(s); });
    });
    await new Promise<void>((resolve) => server.listen(this.path, resolve));
    this.server = server;
  }
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  }
}

async function until(events: StackEvents, what: string, holds: () => boolean): Promise<void> {
  const deadline = Date.now() + GUARD_MS;
  while (!holds()) {
    assert.ok(Date.now() < deadline, `${what} within ${GUARD_MS / 1000} s`);
    await events.changedSince(events.versionOf(), 500);
  }
}

describe('the stack event stream of a rollout when the connection drops', { timeout: 120_000 }, () => {
  const stack = uniqueStackName('events');
  let dir: string;
  let proxy: CuttableEngine;
  let events: StackEvents | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accelero-events-'));
    proxy = new CuttableEngine(join(dir, 'docker.sock'));
    await proxy.listen();
  });
  after(async () => {
    events?.close();
    await proxy.cut();
    await cleanupStack(stack);
    await rm(dir, { recursive: true, force: true });
  });

  const container = async (name: string): Promise<Dockerode.Container> => docker.createContainer({
    name: `${stack}-${name}`, Image: 'accelero-test/busybox', Cmd: ['sleep', '300'], StopTimeout: 1,
    Labels: { 'accelero.stack': stack, 'accelero.service': name }, HostConfig: { NetworkMode: 'none' },
  });

  it('goes blind when the stream drops, polls inspect meanwhile, and replays what it missed once back', async () => {
    const client = new Dockerode({ socketPath: proxy.path });
    const watch = await StackEvents.open(client, stack, silentLogger);
    events = watch;
    assert.equal(watch.live, true);
    const first = await container('first');
    await first.start();
    await until(watch, 'the start of the first container seen', () => watch.observe(first.id)?.running === true);

    await proxy.cut();
    await until(watch, 'the watch notices the dropped stream', () => !watch.live);
    const second = await container('second');
    await second.start();
    await first.kill();
    const blind = verifyContainer(client, watch, second.id, { hasHealthcheck: false, monitorMs: 60_000, job: false, timeoutMs: 60_000, pollMs: 200 });
    await assert.rejects(blind, (error) => isEngineUnavailable(error), 'polling inspect reports the engine as unavailable');

    await proxy.listen();
    await until(watch, 'reconnected, with the missed events replayed', () =>
      watch.live && watch.observe(second.id)?.running === true && watch.observe(first.id)?.dies === 1);
    assert.equal(watch.observe(first.id)?.running, false);
    assert.equal(watch.observe(first.id)?.exitCode, 137);
  });
});
