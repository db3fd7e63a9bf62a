import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { allContainers, cleanupStack, docker, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// What operators ask of a stack and must be able to trust: the deployment id they are given
// is the one that does the work, nothing promised stays pending, deleting with its containers
// leaves the data, and looking at drift never takes files away from what runs.

const compose = (greeting: string) => `services:
  web:
    image: accelero-test/web:v1
    environment:
      GREETING: "${greeting}"
    volumes:
      - data:/data
      - /cache
    deploy:
      update_config:
        monitor: 1s
volumes:
  data: {}
`;

interface Deployment { id: string; status: string; git_commit: string | null; changes: unknown[]; error_message: string | null }

describe('stack requests through the daemon', () => {
  let daemon: TestDaemon;
  const repos: TestGitRepo[] = [];
  const stacks: string[] = [];

  before(async () => { daemon = await startDaemon(); });
  after(async () => {
    await daemon?.stop();
    for (const stack of stacks) await cleanupStack(stack);
    await daemon?.cleanup();
    for (const repo of repos) await repo.remove();
  });

  async function newStack(prefix: string, settings: Record<string, unknown> = {}) {
    const stack = uniqueStackName(prefix);
    stacks.push(stack);
    const repo = await createGitRepo({ 'docker-compose.yaml': compose('one') });
    repos.push(repo);
    const created = await daemon.request('POST', '/api/v1/stacks', { name: stack, repo_url: repo.dir, reconcile_interval_seconds: 0, ...settings });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return { stack, repo };
  }
  const deployment = async (stack: string, id: string) => (await daemon.request<Deployment>('GET', `/api/v1/stacks/${stack}/deployments/${id}`)).body;
  const finished = (stack: string, id: string) => eventually(async () => {
    const d = await deployment(stack, id);
    return d.status === 'pending' || d.status === 'in_progress' ? undefined : d;
  }, `deployment ${id} to finish`);

  test('a deploy right after creating a stack answers with the deployment that does the work', async () => {
    const { stack } = await newStack('first');
    const { status, body } = await daemon.request<{ deployment_id: string }>('POST', `/api/v1/stacks/${stack}/deploy`);
    assert.equal(status, 202);
    const done = await finished(stack, body.deployment_id);
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.ok(done.changes.length > 0, 'the answered deployment carries the changes, not "nothing to change"');
    const all = (await daemon.request<Deployment[]>('GET', `/api/v1/stacks/${stack}/deployments`)).body;
    assert.deepEqual(all.filter((d) => d.changes.length > 0).map((d) => d.id), [body.deployment_id]);
  });

  test('a push to a paused stack ends its deployment as skipped, saying why, and deploys nothing', async () => {
    const { stack, repo } = await newStack('paused', { auto_deploy: true });
    await eventually(async () => (await allContainers(stack)).length === 1, 'the first deploy');
    assert.equal((await daemon.request('POST', `/api/v1/stacks/${stack}/pause`)).status, 200);
    await repo.commit({ 'docker-compose.yaml': compose('two') }, 'two');
    const pushed = await fetch(`${daemon.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': daemon.apiKey }, body: JSON.stringify({ stack }) });
    assert.equal(pushed.status, 202);
    const { deployment_id: id } = await pushed.json() as { deployment_id: string };
    const done = await finished(stack, id);
    assert.equal(done.status, 'skipped');
    assert.match(done.error_message ?? '', /paused/);
    const web = (await allContainers(stack))[0]!;
    assert.ok((await docker.getContainer(web.Id).inspect()).Config.Env.includes('GREETING=one'), 'nothing was deployed');
  });

  test('deleting with remove_containers keeps named and anonymous volumes; remove_volumes removes them', async () => {
    const kept = await newStack('keepvol');
    const gone = await newStack('dropvol');
    for (const { stack } of [kept, gone]) {
      const { body } = await daemon.request<{ deployment_id: string }>('POST', `/api/v1/stacks/${stack}/deploy`);
      assert.equal((await finished(stack, body.deployment_id)).status, 'completed');
    }
    const volumesOf = async (stack: string) => {
      const [web] = await allContainers(stack);
      return (await docker.getContainer(web!.Id).inspect()).Mounts.filter((m) => m.Type === 'volume').map((m) => m.Name!);
    };
    const keptVolumes = await volumesOf(kept.stack);
    const goneVolumes = await volumesOf(gone.stack);
    assert.equal(keptVolumes.length, 2, 'a named and an anonymous volume');
    assert.equal((await daemon.request('DELETE', `/api/v1/stacks/${kept.stack}?remove_containers=true`)).status, 200);
    assert.equal((await daemon.request('DELETE', `/api/v1/stacks/${gone.stack}?remove_containers=true&remove_volumes=true`)).status, 200);
    assert.deepEqual(await allContainers(kept.stack), []);
    const exists = (name: string) => docker.getVolume(name).inspect().then(() => true, () => false);
    for (const name of keptVolumes) assert.ok(await exists(name), `volume ${name} survives remove_containers`);
    for (const name of goneVolumes) assert.equal(await exists(name), false, `volume ${name} goes with remove_volumes`);
    for (const name of keptVolumes) await docker.getVolume(name).remove().catch(() => undefined);
  });

  test('drift checks never take away the exported files of the commit that runs', async () => {
    const { stack, repo } = await newStack('export', { auto_deploy: false });
    const { body } = await daemon.request<{ deployment_id: string }>('POST', `/api/v1/stacks/${stack}/deploy`);
    const running = await finished(stack, body.deployment_id);
    assert.equal(running.status, 'completed');
    // More new commits than exports are kept (5), each looked at through the drift route.
    for (let i = 0; i < 7; i += 1) {
      await repo.commit({ 'docker-compose.yaml': compose(`next-${i}`) }, `next ${i}`);
      assert.equal((await daemon.request('GET', `/api/v1/stacks/${stack}/drift`)).status, 200);
    }
    const exported = join(daemon.dataDir, 'stacks', stack, running.git_commit!);
    assert.ok((await stat(exported)).isDirectory(), `the running commit's export ${exported} is still there`);
  });
});
