import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Dockerode from 'dockerode';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { cleanupStack, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// The thin path through every layer: REST → stack actor → git → compose → Docker → SQLite.

const docker = new Dockerode();
const samples = resolve(import.meta.dirname, '../../samples/hello');

async function sampleFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(samples, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[full.slice(samples.length + 1)] = await readFile(full, 'utf8');
  }
  return files;
}

async function containersOf(stack: string) {
  return docker.listContainers({ all: true, filters: { label: [`accelero.stack=${stack}`] } });
}

async function waitForDeployment(daemon: TestDaemon, stack: string, id: string) {
  return eventually(async () => {
    const { body } = await daemon.request('GET', `/api/v1/stacks/${stack}/deployments/${id}`);
    return ['completed', 'failed', 'rolled_back', 'interrupted'].includes(body.status) ? body : undefined;
  }, `deployment ${id} to finish`);
}

describe('walking skeleton: a stack from a local git repository deployed to the real engine', () => {
  let daemon: TestDaemon;
  let repo: TestGitRepo;
  const stack = uniqueStackName('e2e');

  before(async () => {
    repo = await createGitRepo(await sampleFiles());
    daemon = await startDaemon();
  });

  after(async () => {
    await daemon?.stop();
    await cleanupStack(stack);
    await daemon?.cleanup();
    await repo?.remove();
  });

  let firstWebId = '';
  let firstMigrateId = '';

  test('a stack is created from a local repository path', async () => {
    const { status, body } = await daemon.request('POST', '/api/v1/stacks', {
      name: stack, repo_url: repo.dir, compose_path: 'docker-compose.yaml', auto_deploy: false, reconcile_interval_seconds: 0,
    });
    assert.equal(status, 201, JSON.stringify(body));
    assert.equal(body.name, stack);
    assert.equal(body.repo_branch, 'main');
    assert.equal('repo_token' in body, false);
  });

  test('a deploy runs the services with the labels of docs/architecture.md and a healthy web container', async () => {
    const { status, body } = await daemon.request('POST', `/api/v1/stacks/${stack}/deploy`);
    assert.equal(status, 202);
    assert.equal(body.status, 'accepted');
    const deployment = await waitForDeployment(daemon, stack, body.deployment_id);
    assert.equal(deployment.status, 'completed', JSON.stringify(deployment));
    assert.equal(deployment.git_commit, await repo.git('rev-parse', 'HEAD'));

    const web = await eventually(async () => {
      const list = await containersOf(stack);
      const found = list.find((c) => c.Labels['accelero.service'] === 'web');
      return found && /healthy/.test(found.Status) && !/unhealthy/.test(found.Status) ? found : undefined;
    }, 'a healthy web container');
    const project = stack.toLowerCase();
    assert.equal(web.Labels['com.docker.compose.project'], project);
    assert.equal(web.Labels['com.docker.compose.service'], 'web');
    assert.equal(web.Labels['com.docker.compose.container-number'], '1');
    assert.equal(web.Labels['com.docker.compose.oneoff'], 'False');
    assert.equal(web.Labels['accelero.deployment'], body.deployment_id);
    assert.equal(web.Labels['accelero.commit'], deployment.git_commit);
    assert.match(web.Labels['accelero.config-hash']!, /^[0-9a-f]{64}$/);
    assert.equal(web.Labels['com.example.owner'], 'platform-team');
    assert.deepEqual(web.Names, [`/${project}-web-1`]);
    const inspect = await docker.getContainer(web.Id).inspect();
    assert.ok(inspect.Config.Env.includes('GREETING=hello from git'));
    assert.ok(inspect.Config.Env.includes('APP_ENV=staging'));
    firstWebId = web.Id;

    const stepLines = daemon.output().split('\n').filter((line) => line.includes('"step":"'));
    assert.ok(stepLines.length > 0, 'the rollout steps are logged');
    for (const line of stepLines) {
      assert.ok(line.includes(`"deployment_id":"${body.deployment_id}"`) && line.includes(`"stack":"${stack}"`), line);
    }

    const migrate = (await containersOf(stack)).find((c) => c.Labels['accelero.service'] === 'migrate');
    assert.ok(migrate, 'the one-shot migrate service ran');
    firstMigrateId = migrate.Id;
  });

  test('the containers route shows the stack\'s containers with service, replica, health and ports', async () => {
    const { status, body } = await daemon.request('GET', `/api/v1/stacks/${stack}/containers`);
    assert.equal(status, 200);
    const web = body.find((c: { service: string }) => c.service === 'web');
    assert.equal(web.id, firstWebId);
    assert.equal(web.name, `${stack.toLowerCase()}-web-1`);
    assert.equal(web.replica, 1);
    assert.equal(web.state, 'running');
    assert.equal(web.health, 'healthy');
    assert.equal(web.image, 'accelero-test/web:v1');
    assert.ok(web.ports.some((p: { private_port: number; public_port: number | null }) => p.private_port === 8080 && p.public_port! > 0));
    assert.deepEqual(body.map((c: { service: string }) => c.service).sort(), ['migrate', 'web']);
  });

  test('a second deploy of the unchanged commit changes nothing', async () => {
    const { body } = await daemon.request('POST', `/api/v1/stacks/${stack}/deploy`);
    const deployment = await waitForDeployment(daemon, stack, body.deployment_id);
    assert.equal(deployment.status, 'completed');
    assert.deepEqual(deployment.changes, []);
    const ids = (await containersOf(stack)).map((c) => c.Id).sort();
    assert.deepEqual(ids, [firstWebId, firstMigrateId].sort());
  });

  test('a change in git is applied by the next deploy, to the changed service only', async () => {
    const commit = await repo.commit({ '.env': 'APP_ENV=staging\nGREETING="hello again"\nOWNER=platform-team\n' }, 'new greeting');
    const { body } = await daemon.request('POST', `/api/v1/stacks/${stack}/deploy`);
    const deployment = await waitForDeployment(daemon, stack, body.deployment_id);
    assert.equal(deployment.status, 'completed', JSON.stringify(deployment));
    assert.equal(deployment.git_commit, commit);
    assert.deepEqual(deployment.changes.map((c: { service: string }) => c.service), ['web']);
    const list = await containersOf(stack);
    const web = list.find((c) => c.Labels['accelero.service'] === 'web' && c.State === 'running')!;
    assert.notEqual(web.Id, firstWebId);
    const inspect = await docker.getContainer(web.Id).inspect();
    assert.ok(inspect.Config.Env.includes('GREETING=hello again'));
    assert.ok(list.some((c) => c.Id === firstMigrateId), 'the unchanged job kept its container');
  });

  test('deployments are listed newest first', async () => {
    const { status, body } = await daemon.request('GET', `/api/v1/stacks/${stack}/deployments`);
    assert.equal(status, 200);
    assert.equal(body.length, 3);
    assert.ok(body[0].started_at >= body[1].started_at);
    assert.ok(body.every((d: { status: string }) => d.status === 'completed'));
  });

  test('the metrics count the deployments, the reconcile cycles and the drift', async () => {
    // Only Accelero's own series, so a failure shows them instead of the process metrics.
    const series = async () => (await (await fetch(`${daemon.url}/metrics`)).text())
      .split('\n').filter((line) => /^accelero_(deploy|reconcile|drift)/.test(line)).join('\n');
    // A cycle ends after its deployment completed (the replaced containers go first), so its
    // outcome is counted a moment later.
    const text = await eventually(async () => {
      const now = await series();
      return /accelero_reconcile_cycles_total\{outcome="deployed"\} 2/.test(now) ? now : undefined;
    }, 'the last cycle to be counted').catch(async (error) => { throw new Error(`${error.message}\n${await series()}`); });
    assert.match(text, /accelero_deployments_total\{status="completed"\} 3/);
    assert.match(text, /accelero_deploy_duration_seconds_count\{status="completed"\} 3/);
    assert.match(text, /accelero_reconcile_cycles_total\{outcome="in_sync"\} 1/);
    assert.match(text, new RegExp(`accelero_drift_items\\{stack="${stack}",type="missing"\\} 0`));
  });

  test('deleting with remove_containers=true leaves no container or network behind', async () => {
    const { status, body } = await daemon.request('DELETE', `/api/v1/stacks/${stack}?remove_containers=true`);
    assert.equal(status, 200);
    assert.deepEqual(body, { status: 'deleted' });
    assert.deepEqual(await containersOf(stack), []);
    const networks = await docker.listNetworks({ filters: { label: [`accelero.stack=${stack}`] } });
    assert.deepEqual(networks, []);
    assert.equal((await daemon.request('GET', `/api/v1/stacks/${stack}`)).status, 404);
  });
});
