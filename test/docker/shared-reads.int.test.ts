// Timer cycles of several stacks in one tick share one container list (engine-reads.ts) on
// the real engine, and each stack's drift is still its own: a stopped container in one, a
// removed one in another, nothing in the third.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { createDockerEngine } from '../../src/docker/index.ts';
import { LABEL } from '../../src/docker/labels.ts';
import { cleanupStack, docker, runningIds, uniqueStackName } from '../support/docker.ts';
import { buildProject } from './fixtures.ts';
import { reconcile } from './reconcile.ts';

/** A client of the same engine that counts its HTTP requests (every dockerode call goes through modem.dial). */
function countingClient(): { client: Dockerode; requests: string[] } {
  const client = new Dockerode({ socketPath: process.env.DOCKER_SOCK ?? '/var/run/docker.sock' });
  const requests: string[] = [];
  const modem = client.modem as unknown as { dial: (options: { method: string; path: string }, callback: unknown) => unknown };
  const dial = modem.dial.bind(modem);
  modem.dial = (options, callback) => {
    requests.push(`${options.method} ${options.path.split('?')[0]}`);
    return dial(options, callback);
  };
  return { client, requests };
}

describe('timer cycles of three stacks in one tick', { timeout: 180_000 }, () => {
  const [stopped, removed, untouched] = ['shared-stopped', 'shared-removed', 'shared-untouched'].map(uniqueStackName) as [string, string, string];
  const stacks = [stopped, removed, untouched];
  const projects = new Map(stacks.map((stack) => [stack, buildProject(stack, { web: { update: { monitorMs: 1000 } } })]));
  after(() => Promise.all(stacks.map(cleanupStack)));

  before(async () => {
    for (const stack of stacks) {
      const { result } = await reconcile(stack, projects.get(stack)!);
      assert.equal(result.status, 'completed', result.error);
    }
    await docker.getContainer((await runningIds(stopped, 'web'))[0]!).stop({ t: 0 });
    await docker.getContainer((await runningIds(removed, 'web'))[0]!).remove({ force: true });
  });

  it('list the containers once and find each stack its own drift', async () => {
    const { client, requests } = countingClient();
    const engine = createDockerEngine(client, undefined, { sharedReadWindowMs: 200 });
    const diffs = await Promise.all(stacks.map((stack) => engine.diff(projects.get(stack)!, stack, { pull: false, sharedRead: true })));
    assert.equal(requests.filter((r) => r === 'GET /containers/json').length, 1, requests.join('\n'));
    const [ofStopped, ofRemoved, ofUntouched] = diffs.map((d) => d.drift.filter((item) => item.resource === 'container').map((item) => `${item.service}:${item.kind}`));
    assert.deepEqual(ofStopped, ['web:stopped']);
    assert.deepEqual(ofRemoved, ['web:missing']);
    assert.deepEqual(ofUntouched, []);
    // Only the stack's own containers, though the list held every stack's on this engine.
    for (const [i, diff] of diffs.entries()) {
      assert.ok(diff.actual.containers.every((c) => c.labels[LABEL.stack] === stacks[i]), `${stacks[i]} saw another stack's container`);
    }
    assert.deepEqual(diffs.map((d) => d.plan.hasChanges), [true, true, false]);
  });
});
