import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { allContainers, cleanupStack, docker, runningIds, uniqueStackName } from '../support/docker.ts';
import { buildProject, type ServiceInput } from './fixtures.ts';
import { MemorySnapshotStore, reconcile } from './reconcile.ts';

const probe = 'wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1';
const healthyWeb = (image: string, extra: ServiceInput = {}): ServiceInput => ({ image, healthcheck: probe, ...extra });

async function healthyCount(stack: string): Promise<number> {
  const list = await docker.listContainers({ filters: { label: [`accelero.stack=${stack}`, 'accelero.service=web'] } });
  return list.filter((c) => /\(healthy\)/.test(c.Status)).length;
}

/** Samples the healthy containers of `web` until the promise settles. */
async function sampleWhile<T>(stack: string, work: Promise<T>): Promise<{ result: T; samples: number[] }> {
  const samples: number[] = [];
  let done = false;
  const watcher = (async () => { while (!done) { samples.push(await healthyCount(stack)); await new Promise((r) => setTimeout(r, 100)); } })();
  const result = await work.finally(() => { done = true; });
  await watcher;
  return { result, samples };
}

function freePort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

describe('rollouts and rollbacks on the real engine', { timeout: 180_000 }, () => {
  const stacks: string[] = [];
  after(async () => { for (const s of stacks) await cleanupStack(s); });
  const newStack = (prefix: string): string => { const s = uniqueStackName(prefix); stacks.push(s); return s; };

  it('keeps at least one healthy container of a start-first service at every moment of an update', async () => {
    const stack = newStack('zero');
    assert.equal((await reconcile(stack, buildProject(stack, { web: healthyWeb('accelero-test/web:v1') }))).result.status, 'completed');
    const update = reconcile(stack, buildProject(stack, { web: healthyWeb('accelero-test/web:v2') }));
    const { result, samples } = await sampleWhile(stack, update);
    assert.equal(result.result.status, 'completed', result.result.error);
    assert.ok(samples.length > 3, 'sampled during the rollout');
    assert.ok(samples.every((n) => n >= 1), `healthy containers over time: ${samples.join(',')}`);
    const [web] = await allContainers(stack);
    assert.equal(web?.Image, 'accelero-test/web:v2');
    assert.equal(web?.Names[0], `/${stack}-web-1`);
  });

  it('replaces the replicas of a start-first service one at a time without ever dropping below their count', async () => {
    const stack = newStack('replicas');
    const v1 = buildProject(stack, { web: healthyWeb('accelero-test/web:v1', { replicas: 2, update: { parallelism: 1 } }) });
    assert.equal((await reconcile(stack, v1)).result.status, 'completed');
    const v2 = buildProject(stack, { web: healthyWeb('accelero-test/web:v2', { replicas: 2, update: { parallelism: 1 } }) });
    const { result, samples } = await sampleWhile(stack, reconcile(stack, v2));
    assert.equal(result.result.status, 'completed', result.result.error);
    assert.ok(samples.every((n) => n >= 2), `healthy containers over time: ${samples.join(',')}`);
    const names = (await allContainers(stack)).map((c) => `${c.Names[0]} ${c.Image}`).sort();
    assert.deepEqual(names, [`/${stack}-web-1 accelero-test/web:v2`, `/${stack}-web-2 accelero-test/web:v2`]);
  });

  it('rolls a start-first release whose healthcheck never passes back to the same running container', async () => {
    const stack = newStack('rbstart');
    await reconcile(stack, buildProject(stack, { web: healthyWeb('accelero-test/web:v1') }));
    const before = await runningIds(stack, 'web');
    const store = new MemorySnapshotStore();
    const broken = buildProject(stack, { web: healthyWeb('accelero-test/web:v2', { healthcheck: 'exit 1' }) });
    const { result, deploymentId } = await reconcile(stack, broken, { store });
    assert.equal(result.status, 'rolled_back');
    assert.match(result.error ?? '', /web.*unhealthy/);
    assert.deepEqual(await runningIds(stack, 'web'), before);
    assert.equal((await allContainers(stack)).length, 1, 'no leftover container');
    assert.equal(store.saved.get(deploymentId)?.[0]?.containerId, before[0]);
  });

  it('rolls a stop-first service on a host port back to the same container, under its name and restart policy', async () => {
    const stack = newStack('rbstop');
    const port = `${freePort()}:8080`;
    await reconcile(stack, buildProject(stack, { web: healthyWeb('accelero-test/web:v1', { ports: [port] }) }));
    const before = await runningIds(stack, 'web');
    const broken = buildProject(stack, { web: healthyWeb('accelero-test/web:v2', { ports: [port], healthcheck: 'exit 1' }) });
    const { plan, result } = await reconcile(stack, broken);
    assert.equal(plan.actions[0]?.order, 'stop-first');
    assert.equal(result.status, 'rolled_back');
    assert.deepEqual(await runningIds(stack, 'web'), before);
    const info = await docker.getContainer(before[0]!).inspect();
    assert.equal(info.Name, `/${stack}-web-1`);
    assert.equal(info.HostConfig.RestartPolicy?.Name, 'unless-stopped');
    assert.equal((await allContainers(stack)).length, 1, 'no leftover container');
  });

  it('updates a stop-first service on a host port and removes the old container once verified', async () => {
    const stack = newStack('stopfirst');
    const port = `${freePort()}:8080`;
    await reconcile(stack, buildProject(stack, { web: healthyWeb('accelero-test/web:v1', { ports: [port] }) }));
    const before = await runningIds(stack, 'web');
    const { result } = await reconcile(stack, buildProject(stack, { web: healthyWeb('accelero-test/web:v2', { ports: [port] }) }));
    assert.equal(result.status, 'completed', result.error);
    const after = await allContainers(stack);
    assert.equal(after.length, 1);
    assert.notEqual(after[0]?.Id, before[0]);
    assert.equal(after[0]?.Image, 'accelero-test/web:v2');
  });

  it('rolls back every touched service of the deployment when a later level fails', async () => {
    const stack = newStack('rblevel');
    const v1 = { db: { env: { V: '1' } }, web: healthyWeb('accelero-test/web:v1', { dependsOn: { db: 'service_started' } }) };
    await reconcile(stack, buildProject(stack, v1));
    const before = { db: await runningIds(stack, 'db'), web: await runningIds(stack, 'web') };
    const v2 = { db: { env: { V: '2' } }, web: healthyWeb('accelero-test/web:v2', { dependsOn: { db: 'service_started' }, healthcheck: 'exit 1' }) };
    const { result } = await reconcile(stack, buildProject(stack, v2));
    assert.equal(result.status, 'rolled_back');
    assert.deepEqual({ db: await runningIds(stack, 'db'), web: await runningIds(stack, 'web') }, before);
    assert.equal((await allContainers(stack)).length, 2);
  });

  it('leaves a failed release in place without rollback when failure_action is pause', async () => {
    const stack = newStack('pause');
    await reconcile(stack, buildProject(stack, { a: { env: { V: '1' } }, b: { env: { V: '1' }, dependsOn: { a: 'service_started' } } }));
    const a = await runningIds(stack, 'a');
    const failing: ServiceInput = { command: ['sh', '-c', 'exit 2'], restart: 'no', update: { failureAction: 'pause' }, dependsOn: { a: 'service_started' } };
    const { result } = await reconcile(stack, buildProject(stack, { a: { env: { V: '2' } }, b: failing }));
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /exited with code 2/);
    assert.notDeepEqual(await runningIds(stack, 'a'), a, 'the verified service a keeps its new container');
    assert.equal((await runningIds(stack, 'b')).length, 1, 'the old b is back');
  });
});
