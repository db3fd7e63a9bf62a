import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sqlite3 from 'sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bridgeGateway, readyz, startAcceleroContainer, type AcceleroContainer } from '../support/accelero-container.ts';
import { allContainers, cleanupStack, docker, uniqueStackName } from '../support/docker.ts';
import { eventually } from '../support/eventually.ts';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// Accelero from its image (npm run image), supervised by Docker: the socket and the data
// directory mounted at the same path, a stack from git over HTTP whose relative bind mount
// shows the repository's file, a kill -9 of the daemon from the host in the middle of a
// deployment (Docker restarts it, it recovers, nothing is duplicated) and a clean docker stop.

const compose = (greeting: string) => `services:
  web:
    image: accelero-test/web:v1
    command: ["sh", "-c", "sleep 3; touch /tmp/ready; exec httpd -f -p 8080 -h /www"]
    environment:
      GREETING: "${greeting}"
    volumes:
      - ./site/greeting.txt:/conf/greeting.txt:ro
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      retries: 60
      start_period: 60s
`;

interface Deployment { id: string; status: string; git_commit: string }

async function readFileIn(containerId: string, path: string): Promise<string> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: ['cat', path], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => stream.on('data', (c: Buffer) => chunks.push(c)).on('end', resolve).on('error', reject));
  // The multiplexed stream: 8-byte frame headers before each chunk of output.
  const raw = Buffer.concat(chunks);
  let text = '';
  for (let at = 0; at + 8 <= raw.length; at += 8 + raw.readUInt32BE(at + 4)) text += raw.subarray(at + 8, at + 8 + raw.readUInt32BE(at + 4)).toString('utf8');
  return text;
}

function statusesInDatabase(databasePath: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(databasePath, sqlite3.OPEN_READONLY, (error) => error && reject(error));
    db.all('SELECT status FROM deployments', (error, rows: Array<{ status: string }>) => {
      db.close();
      if (error) reject(error);
      else resolve(rows.map((r) => r.status));
    });
  });
}

describe('Accelero as a supervised container', () => {
  const stack = uniqueStackName('container');
  let repo: TestGitRepo;
  let git: GitHttpServer;
  let accelero: AcceleroContainer;
  let repoUrl = '';

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose('one'), 'site/greeting.txt': 'hello from git\n' });
    git = await startGitHttpServer({ host: await bridgeGateway() });
    repoUrl = git.addRepo('site', repo.dir);
    accelero = await startAcceleroContainer();
  });

  after(async () => {
    await accelero?.remove();
    await cleanupStack(stack);
    await git?.stop();
    await repo?.remove();
  });

  const deployments = async () => (await accelero.request<Deployment[]>('GET', `/api/v1/stacks/${stack}/deployments`)).body;
  const webContainers = async () => (await allContainers(stack)).filter((c) => c.Labels['accelero.service'] === 'web');

  test('answers /readyz and says its data directory lines up with the host', async () => {
    await readyz(accelero);
    assert.match(await accelero.logs(), /running in container accelero-test-\w+: relative bind mounts of stacks resolve under \/tmp\/accelero-container-/);
  });

  test('deploys a stack from git over HTTP; its relative bind mount shows the repository\'s file', async () => {
    const created = await accelero.request('POST', '/api/v1/stacks', { name: stack, repo_url: repoUrl, reconcile_interval_seconds: 5 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const first = await repo.git('rev-parse', 'HEAD');
    await eventually(async () => (await deployments()).find((d) => d.git_commit === first && d.status === 'completed'), 'the first deploy');
    const [web] = await webContainers();
    assert.equal(await readFileIn(web!.Id, '/conf/greeting.txt'), 'hello from git\n');
  });

  test('a kill -9 of the daemon from the host mid-deployment: Docker restarts it, it recovers and converges', async () => {
    const second = await repo.commit({ 'docker-compose.yaml': compose('two') }, 'greeting two');
    const inFlight = await eventually(async () => {
      const running = (await deployments()).find((d) => d.git_commit === second && d.status === 'in_progress');
      return running && (await allContainers(stack)).some((c) => c.Labels['accelero.deployment'] === running.id) ? running : undefined;
    }, 'the second deploy to create its new container');
    const restartsBefore = (await docker.getContainer(accelero.id).inspect()).RestartCount;
    process.kill(await accelero.nodePid(), 'SIGKILL');

    await eventually(async () => (await docker.getContainer(accelero.id).inspect()).RestartCount > restartsBefore, 'Docker to restart the container');
    await readyz(accelero, 'the restarted container to answer /readyz');
    await eventually(async () => (await deployments()).find((d) => d.id === inFlight.id && d.status === 'interrupted'), 'the recovery of the interrupted deployment');
    await eventually(async () => (await deployments()).find((d) => d.git_commit === second && d.status === 'completed'), 'the stack to converge to the second commit');
    const web = await eventually(async () => {
      const list = await webContainers();
      return list.length === 1 ? list : undefined;
    }, 'exactly one web container');
    const inspect = await docker.getContainer(web[0]!.Id).inspect();
    assert.ok(inspect.Config.Env.includes('GREETING=two'));
    assert.equal(inspect.State.Running, true);
  });

  test('docker stop in the middle of a deployment: exit code 0, no deployment left in progress', async () => {
    const third = await repo.commit({ 'docker-compose.yaml': compose('three') }, 'greeting three');
    await eventually(async () => (await deployments()).find((d) => d.git_commit === third && d.status === 'in_progress'), 'the third deploy to start');
    await docker.getContainer(accelero.id).stop({ t: 60 });
    const state = (await docker.getContainer(accelero.id).inspect()).State;
    assert.equal(state.ExitCode, 0, await accelero.logs());
    const statuses = await statusesInDatabase(join(accelero.dataDir, 'accelero.db'));
    assert.deepEqual(statuses.filter((s) => s === 'in_progress' || s === 'pending'), []);
  });
});

describe('Accelero as a container with its data directory mounted elsewhere', () => {
  const stack = uniqueStackName('hostpath');
  let repo: TestGitRepo;
  let git: GitHttpServer;
  let accelero: AcceleroContainer;
  let hostDir = '';

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose('one'), 'site/greeting.txt': 'mapped to the host\n' });
    git = await startGitHttpServer({ host: await bridgeGateway() });
    hostDir = await mkdtemp('/tmp/accelero-container-');
    accelero = await startAcceleroContainer({ dataDir: hostDir, mountAt: '/var/lib/accelero', env: { HOST_STACKS_DATA_DIR: join(hostDir, 'stacks') } });
  });

  after(async () => {
    await accelero?.remove();
    await cleanupStack(stack);
    await git?.stop();
    await repo?.remove();
    if (hostDir) await rm(hostDir, { recursive: true, force: true });
  });

  test('HOST_STACKS_DATA_DIR maps the relative bind mount to the host path', async () => {
    await readyz(accelero);
    assert.doesNotMatch(await accelero.logs(), /WARN: STACKS_DATA_DIR/);
    const created = await accelero.request('POST', '/api/v1/stacks', { name: stack, repo_url: git.addRepo('mapped', repo.dir) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const commit = await repo.git('rev-parse', 'HEAD');
    await eventually(async () => (await accelero.request<Deployment[]>('GET', `/api/v1/stacks/${stack}/deployments`)).body
      .find((d) => d.git_commit === commit && d.status === 'completed'), 'the deploy');
    const [web] = await allContainers(stack);
    assert.equal(await readFileIn(web!.Id, '/conf/greeting.txt'), 'mapped to the host\n');
    const bind = (await docker.getContainer(web!.Id).inspect()).HostConfig.Binds?.[0] ?? '';
    assert.ok(bind.startsWith(join(hostDir, 'stacks', stack)), bind);
  });
});

describe('Accelero in a stack it manages', () => {
  const stack = uniqueStackName('self');
  let repo: TestGitRepo;
  let git: GitHttpServer;
  let accelero: AcceleroContainer;

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose('one'), 'site/greeting.txt': 'x\n' });
    git = await startGitHttpServer({ host: await bridgeGateway() });
    // Labelled as a replica of a service the stack's compose file does not declare: the plan
    // would remove it as an extra container, and a stack removal would take it.
    accelero = await startAcceleroContainer({ labels: { 'accelero.stack': stack, 'accelero.service': 'accelero', 'com.docker.compose.container-number': '1' } });
  });

  after(async () => {
    await accelero?.remove();
    await cleanupStack(stack);
    await git?.stop();
    await repo?.remove();
  });

  const startedAt = async () => (await docker.getContainer(accelero.id).inspect()).State.StartedAt;

  test('a deploy leaves its own container running, and so does deleting the stack with its containers', async () => {
    await readyz(accelero);
    const started = await startedAt();
    const created = await accelero.request('POST', '/api/v1/stacks', { name: stack, repo_url: git.addRepo('self', repo.dir) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const commit = await repo.git('rev-parse', 'HEAD');
    await eventually(async () => (await accelero.request<Deployment[]>('GET', `/api/v1/stacks/${stack}/deployments`)).body
      .find((d) => d.git_commit === commit && d.status === 'completed'), 'the deploy');
    assert.equal(await startedAt(), started, 'the deploy did not stop Accelero');
    const removed = await accelero.request('DELETE', `/api/v1/stacks/${stack}?remove_containers=true`);
    assert.ok(removed.status < 300, JSON.stringify(removed.body));
    await eventually(async () => (await allContainers(stack)).every((c) => c.Id === accelero.id), 'the stack\'s other containers to go');
    assert.equal(await startedAt(), started, 'the removal did not stop Accelero');
    assert.match(await accelero.logs(), /own container accelero-test-\w+ is never stopped, recreated or removed by Accelero: left running/);
  });
});
