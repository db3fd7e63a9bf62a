import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { allContainers, cleanupStack, docker, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// requires_approval against the real engine and real git: a deploy is planned and waits; an
// approve deploys exactly the planned commit; a reject deploys nothing; a newer commit
// replaces the waiting plan; the wait survives a daemon restart.

const compose = (tag: string, note = '') => `services:
  web:
    image: accelero-test/web:${tag}
    environment:
      NOTE: "${note}"
    deploy:
      update_config:
        monitor: 1s
`;

interface Deployment { id: string; stack_name: string; status: string; git_commit: string | null; changes: Array<{ service: string; action: string }>; error_message: string | null }

describe('deploy approvals', () => {
  const gated = uniqueStackName('approve');
  const other = uniqueStackName('reject');
  let repo: TestGitRepo;
  let otherRepo: TestGitRepo;
  let daemon: TestDaemon;
  let firstCommit: string;

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose('v1') });
    otherRepo = await createGitRepo({ 'docker-compose.yaml': compose('v1') });
    firstCommit = await repo.git('rev-parse', 'HEAD');
    daemon = await startDaemon();
    await createGated(gated, repo.dir);
  });

  const createGated = async (name: string, dir: string) => {
    const created = await daemon.request('POST', '/api/v1/stacks', { name, repo_url: dir, auto_deploy: true, reconcile_interval_seconds: 0, requires_approval: true });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.requires_approval, true);
  };

  after(async () => {
    await daemon?.stop();
    await cleanupStack(gated);
    await cleanupStack(other);
    await daemon?.cleanup();
    await repo?.remove();
    await otherRepo?.remove();
  });

  const deployments = async (stack: string) => (await daemon.request<Deployment[]>('GET', `/api/v1/stacks/${stack}/deployments?limit=100`)).body;
  const awaiting = (stack: string, commit?: string) => eventually(async () => {
    const state = (await daemon.request('GET', `/api/v1/stacks/${stack}/state`)).body;
    const waiting = (await deployments(stack)).find((d) => d.status === 'awaiting_approval' && (!commit || d.git_commit === commit));
    return state.state === 'awaiting_approval' && waiting;
  }, `${stack} to wait for approval`);
  const ended = (stack: string, id: string) => eventually(async () => {
    const found = (await deployments(stack)).find((d) => d.id === id);
    return found && ['completed', 'failed', 'rolled_back', 'rejected', 'skipped'].includes(found.status) ? found : undefined;
  }, `deployment ${id} to end`);
  const webImage = async (stack: string) => {
    const web = (await allContainers(stack)).find((c) => c.Labels['accelero.service'] === 'web' && c.State === 'running');
    return web ? (await docker.getContainer(web.Id).inspect()).Config.Image : undefined;
  };

  test('a gated stack plans its deploy and creates no container until approved; viewers may not approve', async () => {
    const waiting = await awaiting(gated);
    assert.equal(waiting.git_commit, firstCommit);
    assert.deepEqual(waiting.changes.map((c) => [c.service, c.action]), [['web', 'create']]);
    assert.deepEqual(await allContainers(gated), []);
    const viewer = (await daemon.request('POST', '/api/v1/apikeys', { name: 'approvals viewer', role: 'viewer' })).body.key;
    const refused = await daemon.request('POST', `/api/v1/stacks/${gated}/deployments/${waiting.id}/approve`, undefined, { 'x-api-key': viewer });
    assert.equal(refused.status, 403);
  });

  test('GET /api/v1/approvals lists the waiting plans oldest first; a limited key sees only its stacks', async () => {
    await awaiting(gated);
    // Created once the first one waits: its plan is the newer one.
    await createGated(other, otherRepo.dir);
    await awaiting(other);
    const all = (await daemon.request<Deployment[]>('GET', '/api/v1/approvals')).body;
    const ours = all.filter((d) => d.stack_name === gated || d.stack_name === other);
    assert.deepEqual(ours.map((d) => d.stack_name), [gated, other], 'oldest first');
    const limited = (await daemon.request('POST', '/api/v1/apikeys', { name: 'approvals limited', role: 'viewer', stacks: [other] })).body.key;
    const seen = await daemon.request<Deployment[]>('GET', '/api/v1/approvals', undefined, { 'x-api-key': limited });
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.body.map((d) => d.stack_name), [other]);
  });

  test('a rejected plan ends rejected with its reason and never creates a container', async () => {
    const waiting = await awaiting(other);
    const tooLong = await daemon.request('POST', `/api/v1/stacks/${other}/deployments/${waiting.id}/reject`, { reason: 'x'.repeat(501) });
    assert.equal(tooLong.status, 400);
    const rejected = await daemon.request<Deployment>('POST', `/api/v1/stacks/${other}/deployments/${waiting.id}/reject`, { reason: 'not during the freeze' });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    assert.equal(rejected.body.status, 'rejected');
    assert.equal(rejected.body.error_message, 'not during the freeze');
    await eventually(async () => (await daemon.request('GET', `/api/v1/stacks/${other}/state`)).body.state === 'idle', 'the stack to rest');
    assert.deepEqual(await allContainers(other), []);
    const again = await daemon.request('POST', `/api/v1/stacks/${other}/deployments/${waiting.id}/approve`);
    assert.equal(again.status, 409, 'a rejected plan cannot be approved');
  });

  test('approve deploys exactly the planned commit under the same deployment, even after the branch moved on', async () => {
    const waiting = await awaiting(gated);
    await repo.commit({ 'docker-compose.yaml': compose('v2') }, 'v2, not approved');
    const approved = await daemon.request('POST', `/api/v1/stacks/${gated}/deployments/${waiting.id}/approve`);
    assert.equal(approved.status, 202, JSON.stringify(approved.body));
    assert.deepEqual([approved.body.status, approved.body.deployment_id], ['accepted', waiting.id]);
    const done = await ended(gated, waiting.id);
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.equal(done.git_commit, firstCommit);
    assert.equal(await webImage(gated), 'accelero-test/web:v1');
    const twice = await daemon.request('POST', `/api/v1/stacks/${gated}/deployments/${waiting.id}/approve`);
    assert.equal(twice.status, 409);
  });

  test('a newer commit (an operator deploy, a push) replaces the waiting plan: the old one ends skipped naming the new one', async () => {
    const v2 = await repo.git('rev-parse', 'HEAD');
    const first = await daemon.request('POST', `/api/v1/stacks/${gated}/deploy`);
    assert.equal(first.status, 202);
    const older = await awaiting(gated, v2);
    assert.equal(older.id, first.body.deployment_id);
    const v3 = await repo.commit({ 'docker-compose.yaml': compose('v2', 'three') }, 'v3');
    const second = await daemon.request('POST', `/api/v1/stacks/${gated}/deploy`);
    const newer = await awaiting(gated, v3);
    assert.equal(newer.id, second.body.deployment_id);
    const replaced = await ended(gated, older.id);
    assert.equal(replaced.status, 'skipped');
    assert.match(replaced.error_message ?? '', new RegExp(`replaced by deployment ${newer.id}`));

    // A push of a newer commit replaces it the same way (the legacy webhook, an operator key: the stack has no secret).
    const v4 = await repo.commit({ 'docker-compose.yaml': compose('v2', 'four') }, 'v4');
    const pushed = await daemon.request('POST', '/webhook', { stack: gated });
    assert.equal(pushed.status, 202, JSON.stringify(pushed.body));
    const pushedPlan = await awaiting(gated, v4);
    assert.equal(pushedPlan.id, pushed.body.deployment_id);
    const replacedByPush = await ended(gated, newer.id);
    assert.equal(replacedByPush.status, 'skipped');
    assert.match(replacedByPush.error_message ?? '', new RegExp(`replaced by deployment ${pushedPlan.id}`));
    assert.equal(await webImage(gated), 'accelero-test/web:v1', 'nothing deployed meanwhile');
  });

  test('a daemon restart keeps the plan waiting; approving it then deploys it', async () => {
    const waiting = await awaiting(gated);
    await daemon.stop();
    daemon = await startDaemon({ dataDir: daemon.dataDir });
    const again = await awaiting(gated);
    assert.equal(again.id, waiting.id, 'the same deployment waits, no new plan');
    const approved = await daemon.request('POST', `/api/v1/stacks/${gated}/deployments/${waiting.id}/approve`);
    assert.equal(approved.status, 202, JSON.stringify(approved.body));
    assert.equal((await ended(gated, waiting.id)).status, 'completed');
    assert.equal(await webImage(gated), 'accelero-test/web:v2');
  });
});
