import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { allContainers, cleanupStack, docker, runningIds, uniqueStackName } from '../support/docker.ts';
import { buildProject, type ServiceInput } from './fixtures.ts';
import { reconcile } from './reconcile.ts';

// The rollout starts a dependant as soon as its depends_on condition holds (compose's order),
// not after its dependency's level was verified; the order is read from the engine (its event
// stream, StartedAt), never from the wall clock of the test.

interface SeenEvent { service: string; action: string; exitCode?: string }

/** Every start, die and health_status event of the stack while `work` runs, in the engine's order. */
async function eventsDuring<T>(stack: string, work: () => Promise<T>): Promise<{ result: T; events: SeenEvent[] }> {
  const stream = (await docker.getEvents({ filters: { type: ['container'], label: [`accelero.stack=${stack}`], event: ['start', 'die', 'health_status'] } })) as NodeJS.ReadableStream & { destroy: () => void };
  const events: SeenEvent[] = [];
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim())) {
      const e = JSON.parse(line) as { Action: string; Actor: { Attributes: Record<string, string> } };
      events.push({ service: e.Actor.Attributes['accelero.service'] ?? '', action: e.Action, exitCode: e.Actor.Attributes.exitCode });
    }
  });
  try {
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the last events are on their way
    return { result, events };
  } finally {
    stream.destroy();
  }
}

function indexOf(events: SeenEvent[], service: string, action: string): number {
  const i = events.findIndex((e) => e.service === service && e.action === action);
  assert.ok(i >= 0, `no ${action} of ${service} in ${JSON.stringify(events)}`);
  return i;
}

async function startedAt(stack: string, service: string): Promise<number> {
  const [id] = await runningIds(stack, service);
  assert.ok(id, `${service} runs`);
  return Date.parse((await docker.getContainer(id).inspect()).State.StartedAt);
}

const MONITOR_MS = 10_000;

describe('depends_on conditions decide when a dependant starts', { timeout: 180_000 }, () => {
  const stacks: string[] = [];
  after(async () => { for (const s of stacks) await cleanupStack(s); });
  const newStack = (prefix: string): string => { const s = uniqueStackName(prefix); stacks.push(s); return s; };

  it('service_started: the dependant starts while its dependency is still inside its monitor window', async () => {
    const stack = newStack('started');
    const project = buildProject(stack, {
      db: { update: { monitorMs: MONITOR_MS } },
      api: { dependsOn: { db: 'service_started' } },
    });
    const { result } = await reconcile(stack, project);
    assert.equal(result.status, 'completed', result.error);
    const db = await startedAt(stack, 'db');
    const api = await startedAt(stack, 'api');
    assert.ok(api >= db, 'api started after db');
    assert.ok(api < db + MONITOR_MS, `api started ${api - db} ms after db, inside db's ${MONITOR_MS} ms window`);
  });

  it('service_healthy: the dependant starts only after its dependency reported healthy', async () => {
    const stack = newStack('healthy');
    const project = buildProject(stack, {
      db: { command: ['sh', '-c', 'sleep 2; touch /tmp/ready; exec sleep 300'], healthcheck: 'test -f /tmp/ready', healthRetries: 10 },
      api: { dependsOn: { db: 'service_healthy' } },
    });
    const { result, events } = await eventsDuring(stack, () => reconcile(stack, project));
    assert.equal(result.result.status, 'completed', result.result.error);
    assert.ok(indexOf(events, 'db', 'health_status: healthy') < indexOf(events, 'api', 'start'), JSON.stringify(events));
  });

  it('service_completed_successfully: the dependant starts after its dependency exited 0', async () => {
    const stack = newStack('completed');
    const project = buildProject(stack, {
      migrate: { command: ['sh', '-c', 'sleep 1; exit 0'], restart: 'no' },
      api: { dependsOn: { migrate: 'service_completed_successfully' } },
    });
    const { result, events } = await eventsDuring(stack, () => reconcile(stack, project));
    assert.equal(result.result.status, 'completed', result.result.error);
    const died = indexOf(events, 'migrate', 'die');
    assert.equal(events[died]!.exitCode, '0');
    assert.ok(died < indexOf(events, 'api', 'start'), JSON.stringify(events));
  });

  it('service_completed_successfully: a non-zero exit fails the deployment and the dependant never starts', async () => {
    const stack = newStack('exit3');
    const project = buildProject(stack, {
      migrate: { command: ['sh', '-c', 'exit 3'], restart: 'no' },
      api: { dependsOn: { migrate: 'service_completed_successfully' } },
    });
    const { result, events } = await eventsDuring(stack, () => reconcile(stack, project));
    assert.equal(result.result.status, 'rolled_back');
    assert.equal(result.result.failedService, 'migrate');
    assert.match(result.result.error ?? '', /exited with code 3/);
    assert.equal(events.filter((e) => e.service === 'api').length, 0, 'api never started');
    assert.deepEqual(await allContainers(stack), [], 'the failed cold deployment left no container');
  });
});

describe('the stability window of services without healthcheck runs for all new containers together', { timeout: 180_000 }, () => {
  const stacks: string[] = [];
  after(async () => { for (const s of stacks) await cleanupStack(s); });

  it('a container that dies inside the shared window fails the deployment, and every service is rolled back', async () => {
    const stack = uniqueStackName('window');
    stacks.push(stack);
    const v1: Record<string, ServiceInput> = {
      db: { env: { RELEASE: '1' }, update: { monitorMs: 4_000 } },
      api: { env: { RELEASE: '1' }, dependsOn: { db: 'service_started' }, update: { monitorMs: 4_000 } },
    };
    assert.equal((await reconcile(stack, buildProject(stack, v1))).result.status, 'completed');
    const before = { db: await runningIds(stack, 'db'), api: await runningIds(stack, 'api') };
    const v2 = buildProject(stack, {
      db: { ...v1.db, env: { RELEASE: '2' } },
      api: { ...v1.api, env: { RELEASE: '2' }, command: ['sh', '-c', 'sleep 1; exit 1'] },
    });
    const { result, events } = await eventsDuring(stack, () => reconcile(stack, v2));
    assert.equal(result.result.status, 'rolled_back');
    assert.equal(result.result.failedService, 'api');
    assert.match(result.result.error ?? '', /exited with code 1|restart/);
    // api's new container started and died while db's new container was inside its window.
    const dbStarts = events.filter((e) => e.service === 'db' && e.action === 'start').length;
    assert.ok(indexOf(events, 'api', 'die') > indexOf(events, 'db', 'start') && dbStarts >= 1);
    assert.deepEqual({ db: await runningIds(stack, 'db'), api: await runningIds(stack, 'api') }, before, 'the old containers run again');
    const names = (await allContainers(stack)).map((c) => c.Names[0]).sort();
    assert.deepEqual(names, [`/${stack}-api-1`, `/${stack}-db-1`]);
  });
});
