import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { allContainers, cleanupStack, docker, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// Deploy requests as operators send them: a storm that must coalesce, and a rollback that
// must run the earlier commit's exact images and then keep the stack pinned.

const compose = (tag: string) => `services:
  web:
    image: accelero-test/web:${tag}
    deploy:
      update_config:
        monitor: 1s
`;

interface Deployment { id: string; status: string; git_commit: string; trigger: string; image_ids: Record<string, string> }

describe('deploy requests', () => {
  const stack = uniqueStackName('storm');
  let repo: TestGitRepo;
  let daemon: TestDaemon;

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose('v1') });
    daemon = await startDaemon();
    const created = await daemon.request('POST', '/api/v1/stacks', { name: stack, repo_url: repo.dir, auto_deploy: false, reconcile_interval_seconds: 0 });
    assert.equal(created.status, 201);
  });

  after(async () => {
    await daemon?.stop();
    await cleanupStack(stack);
    await daemon?.cleanup();
    await repo?.remove();
  });

  const deployments = async () => (await daemon.request<Deployment[]>('GET', `/api/v1/stacks/${stack}/deployments?limit=1000`)).body;
  const settledIdle = () => eventually(async () => {
    const state = (await daemon.request('GET', `/api/v1/stacks/${stack}/state`)).body;
    const open = (await deployments()).filter((d) => d.status === 'pending' || d.status === 'in_progress');
    return ['idle', 'paused'].includes(state.state) && state.queued_events.length === 0 && open.length === 0;
  }, 'the stack to settle');
  const webImage = async () => {
    const web = (await allContainers(stack)).find((c) => c.Labels['accelero.service'] === 'web' && c.State === 'running');
    return web ? (await docker.getContainer(web.Id).inspect()).Image : undefined;
  };

  test('200 deploy requests within a second result in at most two deploys and no database error', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => daemon.request('POST', `/api/v1/stacks/${stack}/deploy`)));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [202]);
    const promised = new Set(answers.map((a) => a.body.deployment_id));
    assert.ok(promised.size <= 2, `requests share at most two deployments, got ${promised.size}`);
    await settledIdle();
    const all = await deployments();
    assert.ok(all.length <= 2, `at most two deployments recorded, got ${all.length}`);
    assert.ok(all.every((d) => d.status === 'completed'), JSON.stringify(all.map((d) => d.status)));
    assert.doesNotMatch(daemon.output(), /SQLITE_BUSY|database is locked|unhandled API error/);
  });

  test('a rollback runs the previous commit with its exact image ids and pins the stack', async () => {
    const firstImage = await webImage();
    assert.ok(firstImage);
    await repo.commit({ 'docker-compose.yaml': compose('v2') }, 'v2');
    const deploy = await daemon.request('POST', `/api/v1/stacks/${stack}/deploy`);
    assert.equal(deploy.status, 202);
    await settledIdle();
    assert.notEqual(await webImage(), firstImage);

    const rollback = await daemon.request('POST', `/api/v1/stacks/${stack}/rollback`, {});
    assert.equal(rollback.status, 202, JSON.stringify(rollback.body));
    await settledIdle();
    const done = (await deployments()).find((d) => d.id === rollback.body.deployment_id)!;
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.equal(done.trigger, 'rollback');
    assert.equal(done.git_commit, rollback.body.git_commit);
    assert.equal(await webImage(), firstImage);
    const stackBody = (await daemon.request('GET', `/api/v1/stacks/${stack}`)).body;
    assert.equal(stackBody.paused, true, 'a rollback pins the stack until resume');
  });

  test('a rollback without an earlier completed deployment of another commit is a 409', async () => {
    const other = uniqueStackName('norollback');
    await daemon.request('POST', '/api/v1/stacks', { name: other, repo_url: repo.dir, auto_deploy: false, reconcile_interval_seconds: 0 });
    const { status, body } = await daemon.request('POST', `/api/v1/stacks/${other}/rollback`, {});
    assert.equal(status, 409);
    assert.equal(body.code, 'conflict');
    await daemon.request('DELETE', `/api/v1/stacks/${other}`);
  });
});
