import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { allContainers, cleanupStack, docker, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// Day-to-day work on one container through the daemon, on the real engine: its detail, its log,
// a stats sample and a restart; and a container of another stack is out of reach.

const compose = `services:
  talker:
    image: accelero-test/busybox:latest
    command: ["sh", "-c", "echo hello from the talker; echo to stderr >&2; trap 'exit 0' TERM; sleep 86400 & wait"]
    environment:
      GREETING: plain
      DB_PASSWORD: hunter2
    stop_grace_period: 1s
    deploy: {update_config: {monitor: 1s}}
`;

interface Deployment { status: string }

describe('one container of a stack through the API', () => {
  const stack = uniqueStackName('ops');
  const other = uniqueStackName('ops-other');
  let repo: TestGitRepo;
  let daemon: TestDaemon;
  let talkerId = '';
  let otherId = '';

  const deploy = async (name: string) => {
    const { body } = await daemon.request('POST', `/api/v1/stacks/${name}/deploy`);
    const done = await eventually(async () => {
      const d = (await daemon.request('GET', `/api/v1/stacks/${name}/deployments/${body.deployment_id}`)).body as Deployment;
      return ['completed', 'failed', 'rolled_back'].includes(d.status) ? d : undefined;
    }, `deployment of ${name}`);
    assert.equal(done.status, 'completed', JSON.stringify(done));
  };
  const path = (name: string, cid: string, rest = '') => `/api/v1/stacks/${name}/containers/${cid}${rest}`;
  const text = async (url: string, key = daemon.apiKey) => {
    const response = await fetch(`${daemon.url}${url}`, { headers: { 'x-api-key': key } });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose });
    daemon = await startDaemon();
    for (const name of [stack, other]) {
      const created = await daemon.request('POST', '/api/v1/stacks', { name, repo_url: repo.dir, auto_deploy: false, reconcile_interval_seconds: 0 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await deploy(name);
    }
    talkerId = (await allContainers(stack))[0]!.Id;
    otherId = (await allContainers(other))[0]!.Id;
  });

  after(async () => {
    await daemon?.stop();
    await cleanupStack(stack);
    await cleanupStack(other);
    await daemon?.cleanup();
    await repo?.remove();
  });

  test('the detail names the service and redacts the values of secret-looking variables', async () => {
    const { status, body } = await daemon.request('GET', path(stack, talkerId.slice(0, 12)));
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.id, talkerId);
    assert.equal(body.service, 'talker');
    assert.equal(body.state, 'running');
    assert.ok(body.env.includes('GREETING=plain'), body.env.join(' '));
    assert.ok(body.env.includes('DB_PASSWORD=[redacted]'), body.env.join(' '));
    assert.equal(JSON.stringify(body).includes('hunter2'), false);
  });

  test("the container's name finds it as well as its id", async () => {
    const { body: byId } = await daemon.request('GET', path(stack, talkerId));
    const { status, body } = await daemon.request('GET', path(stack, byId.name));
    assert.equal(status, 200);
    assert.equal(body.id, talkerId);
  });

  test('a line the container printed is in its log, stdout and stderr', async () => {
    const log = await eventually(async () => {
      const answer = await text(path(stack, talkerId, '/logs?tail=50'));
      return answer.body.includes('to stderr') ? answer : undefined;
    }, 'the log lines');
    assert.equal(log.status, 200);
    assert.match(log.type ?? '', /^text\/plain/);
    assert.match(log.body, /hello from the talker\n/);
  });

  test('timestamps=true prefixes every line with its time', async () => {
    const log = await text(path(stack, talkerId, '/logs?timestamps=true'));
    for (const line of log.body.trim().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+Z /);
  });

  test('a stats sample gives memory and process figures of the running container', async () => {
    const { status, body } = await daemon.request('GET', path(stack, talkerId, '/stats'));
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.container_id, talkerId);
    assert.ok(body.memory.usage_bytes > 0, JSON.stringify(body.memory));
    assert.ok(body.pids >= 1, JSON.stringify(body));
    assert.ok(body.cpu.online_cpus >= 1);
  });

  test('a restart starts the same container again, later', async () => {
    const before = (await docker.getContainer(talkerId).inspect()).State.StartedAt;
    const { status, body } = await daemon.request('POST', path(stack, talkerId, '/restart?t=1'));
    assert.deepEqual([status, body], [202, { status: 'accepted', container_id: talkerId }]);
    const after = await docker.getContainer(talkerId).inspect();
    assert.equal(after.State.Running, true);
    assert.ok(Date.parse(after.State.StartedAt) > Date.parse(before), `${after.State.StartedAt} after ${before}`);
  });

  test("another stack's container answers 404 on every container route", async () => {
    for (const rest of ['', '/logs', '/stats']) {
      const { status } = await text(path(stack, otherId, rest));
      assert.equal(status, 404, rest);
    }
    const restart = await daemon.request('POST', path(stack, otherId, '/restart'));
    assert.equal(restart.status, 404);
  });

  test('a viewer may read a container but not restart it; a key for another stack reaches none of it', async () => {
    const viewer = (await daemon.request('POST', '/api/v1/apikeys', { name: 'ops viewer', role: 'viewer' })).body.key;
    assert.equal((await text(path(stack, talkerId, '/logs'), viewer)).status, 200);
    const restart = await fetch(`${daemon.url}${path(stack, talkerId, '/restart')}`, { method: 'POST', headers: { 'x-api-key': viewer } });
    assert.equal(restart.status, 403);
    const limited = (await daemon.request('POST', '/api/v1/apikeys', { name: 'ops other operator', role: 'operator', stacks: [other] })).body.key;
    assert.equal((await text(path(stack, talkerId, '/logs'), limited)).status, 403);
    const limitedRestart = await fetch(`${daemon.url}${path(stack, talkerId, '/restart')}`, { method: 'POST', headers: { 'x-api-key': limited } });
    assert.equal(limitedRestart.status, 403);
  });

  test('a tail beyond 10000 lines is refused, naming the parameter', async () => {
    const { status, body } = await daemon.request('GET', path(stack, talkerId, '/logs?tail=10001'));
    assert.equal(status, 400);
    assert.match(JSON.stringify(body), /tail/);
  });
});
