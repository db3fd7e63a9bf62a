import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedParallel } from '../../src/docker/rollout/session.ts';
import { nextObservation, type ObservedContainer } from '../../src/docker/stack-events.ts';

describe('what the engine events say about a container', () => {
  const fresh: ObservedContainer = { running: false, dies: 0 };

  it('counts every die after a start, also when a restart policy brings the container back', () => {
    const started = nextObservation(fresh, 'start', {});
    const died = nextObservation(started, 'die', { exitCode: '1' });
    assert.deepEqual(died, { running: false, exitCode: 1, dies: 1 });
    assert.deepEqual(nextObservation(died, 'start', {}), { running: true, exitCode: 1, dies: 1 });
  });

  it('takes the health of the last health_status and forgets it when the container starts again', () => {
    const healthy = nextObservation(nextObservation(fresh, 'start', {}), 'health_status: healthy', {});
    assert.equal(healthy.health, 'healthy');
    assert.equal(nextObservation(healthy, 'health_status: unhealthy', {}).health, 'unhealthy');
    assert.equal(nextObservation(healthy, 'start', {}).health, undefined);
  });
});

describe('bounded parallel container creations', () => {
  it('never runs more than the limit at once and runs every task', async () => {
    const limit = boundedParallel(3);
    let running = 0;
    let most = 0;
    const task = (i: number) => limit(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return i;
    });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => task(i)));
    assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(most, 3);
  });

  it('gives the slot of a failed task to the next one', async () => {
    const limit = boundedParallel(1);
    const failed = limit(() => Promise.reject(new Error('engine said no')));
    const next = limit(async () => 'ran');
    await assert.rejects(failed, /engine said no/);
    assert.equal(await next, 'ran');
  });
});
