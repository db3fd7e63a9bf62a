import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { allContainers, cleanupStack, docker, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// kill -9 in the middle of a start-first rollout, then a restart: the deployment is recovered
// before anything else runs, nothing is orphaned, and the stack converges to git.

const compose = (greeting: string) => `services:
  web:
    image: accelero-test/web:v1
    command: ["sh", "-c", "sleep 4; touch /tmp/ready; exec httpd -f -p 8080 -h /www"]
    environment:
      GREETING: "${greeting}"
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      retries: 60
      start_period: 60s
`;

interface Deployment { id: string; status: string; git_commit: string; trigger: string }

describe('crash safety of a deploy', () => {
  const stack = uniqueStackName('crash');
  let repo: TestGitRepo;
  let daemon: TestDaemon;
  let dataDir = '';

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose('one') });
    daemon = await startDaemon();
    dataDir = daemon.dataDir;
  });

  after(async () => {
    await daemon?.stop();
    await cleanupStack(stack);
    await daemon?.cleanup();
    await repo?.remove();
  });

  const deployments = async () => (await daemon.request<Deployment[]>('GET', `/api/v1/stacks/${stack}/deployments`)).body;
  const webContainers = async () => (await allContainers(stack)).filter((c) => c.Labels['accelero.service'] === 'web');

  let interruptedId = '';
  let secondCommit = '';

  test('a kill -9 during a start-first rollout leaves a deployment in progress', async () => {
    const created = await daemon.request('POST', '/api/v1/stacks', { name: stack, repo_url: repo.url, reconcile_interval_seconds: 5 });
    assert.equal(created.status, 201);
    const firstCommit = await repo.git('rev-parse', 'HEAD');
    await eventually(async () => (await deployments()).find((d) => d.git_commit === firstCommit && d.status === 'completed'), 'the first deploy');

    secondCommit = await repo.commit({ 'docker-compose.yaml': compose('two') }, 'greeting two');
    const inFlight = await eventually(async () => {
      const running = (await deployments()).find((d) => d.git_commit === secondCommit && d.status === 'in_progress');
      if (!running) return undefined;
      const created = (await allContainers(stack)).some((c) => c.Labels['accelero.deployment'] === running.id);
      return created ? running : undefined;
    }, 'the second deploy to create its new container');
    interruptedId = inFlight.id;
    await daemon.kill();
    assert.ok((await allContainers(stack)).some((c) => c.Labels['accelero.deployment'] === interruptedId));
  });

  test('the restart recovers the deployment as interrupted and converges to git', async () => {
    await daemon.kill();
    daemon = await startDaemon({ dataDir });
    const recovered = await eventually(async () => (await deployments()).find((d) => d.id === interruptedId && d.status === 'interrupted'), 'the recovery');
    assert.equal(recovered.status, 'interrupted');
    await eventually(async () => (await deployments()).find((d) => d.git_commit === secondCommit && d.status === 'completed'), 'the stack to converge to the new commit');

    const all = await deployments();
    assert.deepEqual(all.filter((d) => d.status === 'in_progress' || d.status === 'pending'), []);
    // The old container kept aside goes right after the deployment is marked completed.
    const web = await eventually(async () => {
      const list = await webContainers();
      return list.length === 1 ? list : undefined;
    }, 'exactly one web container', 30_000).catch(async (error: Error) => {
      throw new Error(`${error.message}, found ${(await webContainers()).map((c) => c.Names[0]).join(', ')}`);
    });
    const inspect = await docker.getContainer(web[0]!.Id).inspect();
    assert.ok(inspect.Config.Env.includes('GREETING=two'));
    assert.equal(inspect.State.Running, true);
    assert.equal((await allContainers(stack)).filter((c) => c.Labels['accelero.deployment'] === interruptedId && c.Id !== web[0]!.Id).length, 0);
  });

  test('a restart with everything in sync recreates nothing and keeps the transitions', async () => {
    const before = (await webContainers()).map((c) => c.Id);
    const transitionsBefore = (await daemon.request<unknown[]>('GET', `/api/v1/stacks/${stack}/transitions?limit=1000`)).body.length;
    assert.equal(await daemon.stop(), 0, 'SIGTERM ends the daemon cleanly');
    daemon = await startDaemon({ dataDir });
    // Wait for a full reconcile cycle of the new process (diffing → idle) after the restart.
    await eventually(async () => {
      const list = (await daemon.request<Array<{ from: string; to: string }>>('GET', `/api/v1/stacks/${stack}/transitions?limit=1000`)).body;
      return list.length >= transitionsBefore + 3 && list.some((t, i) => i < list.length - transitionsBefore && t.from === 'diffing' && t.to === 'idle');
    }, 'a reconcile cycle after the restart');
    assert.deepEqual((await webContainers()).map((c) => c.Id), before);
    const transitions = (await daemon.request<unknown[]>('GET', `/api/v1/stacks/${stack}/transitions?limit=1000`)).body;
    assert.ok(transitions.length > transitionsBefore, 'transitions of the earlier processes are still there');
  });
});
