import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { allContainers, cleanupStack, uniqueStackName } from '../support/docker.ts';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';
import { startRecordingRegistry, type RecordingRegistry } from '../support/recording-registry.ts';

// Credentials stay with their host, keys with their role, webhooks with their signature:
// attacks through the running daemon, each refused with the documented answer. The git and
// registry servers record the Authorization headers they receive.

const TOKEN = 'tok_security_0123456789abcdef';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const compose = (image = 'accelero-test/web:v1') => `services:\n  web:\n    image: ${image}\n    pull_policy: always\n    deploy: {update_config: {monitor: 1s}}\n`;

interface Deployment { id: string; status: string; error_message: string | null }

describe('attacks on credentials, keys and webhooks', () => {
  const moved = uniqueStackName('moved');
  const pulled = uniqueStackName('pulled');
  let daemon: TestDaemon;
  let repo: TestGitRepo;
  let home: GitHttpServer;
  let elsewhere: GitHttpServer;
  let redirecting: GitHttpServer;
  let ownRegistry: RecordingRegistry;
  let otherRegistry: RecordingRegistry;
  let operatorKey: string;

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose().replace('    pull_policy: always\n', '') });
    home = await startGitHttpServer({ auth: { username: 'deployer', password: TOKEN } });
    elsewhere = await startGitHttpServer({ auth: { username: 'deployer', password: TOKEN } });
    redirecting = await startGitHttpServer({ auth: { username: 'deployer', password: TOKEN }, redirectTo: elsewhere.baseUrl });
    for (const server of [home, elsewhere, redirecting]) server.addRepo('app', repo.dir);
    ownRegistry = await startRecordingRegistry();
    otherRegistry = await startRecordingRegistry();
    daemon = await startDaemon();
    operatorKey = (await daemon.request('POST', '/api/v1/apikeys', { name: 'sec operator', role: 'operator' })).body.key;
  });

  after(async () => {
    await daemon?.stop();
    for (const stack of [moved, pulled]) await cleanupStack(stack);
    await daemon?.cleanup();
    for (const server of [home, elsewhere, redirecting]) await server?.stop();
    await ownRegistry?.stop();
    await otherRegistry?.stop();
    await repo?.remove();
  });

  const deploy = async (name: string): Promise<Deployment> => {
    const { body } = await daemon.request('POST', `/api/v1/stacks/${name}/deploy`);
    return eventually(async () => {
      const d = (await daemon.request('GET', `/api/v1/stacks/${name}/deployments/${body.deployment_id}`)).body as Deployment;
      return ['completed', 'failed', 'rolled_back'].includes(d.status) ? d : undefined;
    }, `deployment of ${name}`);
  };

  test('an operator key cannot create an admin key by writing the path in capitals', async () => {
    const keys = (await daemon.request('GET', '/api/v1/apikeys')).body.length;
    for (const path of ['/API/v1/apikeys', '/api/v1/APIKEYS', '/api/v1/apikeys/']) {
      const answer = await daemon.request('POST', path, { name: `evil ${path.length}`, role: 'admin' }, { 'x-api-key': operatorKey });
      assert.deepEqual([answer.status, answer.body.code], [403, 'forbidden'], path);
    }
    assert.equal((await daemon.request('GET', '/api/v1/apikeys')).body.length, keys);
  });

  test('a token given for one host is sent to it, and dropped when repo_url moves to another host', async () => {
    const created = await daemon.request('POST', '/api/v1/stacks', {
      name: moved, repo_url: `${home.baseUrl}/app.git`, repo_username: 'deployer', repo_token: TOKEN, auto_deploy: false, reconcile_interval_seconds: 0,
    });
    assert.equal(created.status, 201);
    assert.equal((await deploy(moved)).status, 'completed');
    assert.ok(home.authorizations.includes(basic('deployer', TOKEN)));
    const updated = await daemon.request('PUT', `/api/v1/stacks/${moved}`, { repo_url: `${elsewhere.baseUrl}/app.git` });
    assert.equal(updated.status, 200);
    assert.deepEqual([updated.body.dropped_credentials, updated.body.has_repo_token], [['repo_token'], false]);
    assert.match(updated.body.message, /repo_token dropped/);
    const deployment = await deploy(moved);
    assert.equal(deployment.status, 'failed');
    assert.deepEqual(elsewhere.authorizations.filter(Boolean), []);
  });

  test('a redirect to another host gets no credentials', async () => {
    const before = elsewhere.authorizations.length;
    const answer = await daemon.request('PUT', `/api/v1/stacks/${moved}`, { repo_url: `${redirecting.baseUrl}/app.git`, repo_token: TOKEN });
    assert.deepEqual([answer.status, answer.body.has_repo_token], [200, true]);
    assert.equal((await deploy(moved)).status, 'failed');
    assert.ok(redirecting.authorizations.includes(basic('deployer', TOKEN)), 'the redirecting host itself gets them');
    assert.ok(elsewhere.authorizations.length > before, 'git followed the redirect');
    assert.deepEqual(elsewhere.authorizations.filter(Boolean), []);
  });

  test("a registry's credentials go to that registry only", async () => {
    const registryRepo = await createGitRepo({ 'docker-compose.yaml': compose(`${otherRegistry.host}/app:v1`) });
    try {
      const created = await daemon.request('POST', '/api/v1/stacks', { name: pulled, repo_url: registryRepo.dir, auto_deploy: false, reconcile_interval_seconds: 0 });
      assert.equal(created.status, 201);
      const stored = await daemon.request('POST', `/api/v1/stacks/${pulled}/registries`, { server: ownRegistry.host, username: 'puller', password: 'registry-pass' });
      assert.deepEqual([stored.status, stored.body], [201, { server: ownRegistry.host, username: 'puller', created: true }]);
      assert.equal((await deploy(pulled)).status, 'failed');
      assert.ok(otherRegistry.authorizations.length > 0, 'the engine asked the other registry');
      assert.deepEqual(otherRegistry.authorizations.filter(Boolean), []);
      await registryRepo.commit({ 'docker-compose.yaml': compose(`${ownRegistry.host}/app:v1`) });
      assert.equal((await deploy(pulled)).status, 'failed');
      assert.ok(ownRegistry.authorizations.includes(basic('puller', 'registry-pass')));
      assert.deepEqual(await allContainers(pulled), []);
      const listed = (await daemon.request('GET', `/api/v1/stacks/${pulled}/registries`)).body;
      assert.equal(JSON.stringify(listed).includes('registry-pass'), false);
    } finally {
      await registryRepo.remove();
    }
  });

  test('without a secret, a webhook push needs an operator key; a form body is refused', async () => {
    const push = { ref: 'refs/heads/main', repository: { clone_url: `${home.baseUrl}/app.git` } };
    const send = (headers: Record<string, string>, body: string) =>
      fetch(`${daemon.url}/api/v1/webhooks/github`, { method: 'POST', headers: { 'x-github-event': 'push', ...headers }, body });
    const deployments = (await daemon.request('GET', `/api/v1/stacks/${moved}/deployments`)).body.length;
    const unsigned = await send({ 'content-type': 'application/json' }, JSON.stringify(push));
    assert.equal(unsigned.status, 401);
    assert.equal((await unsigned.json()).code, 'unauthorized');
    const form = await send({ 'content-type': 'application/x-www-form-urlencoded' }, `payload=${encodeURIComponent(JSON.stringify(push))}`);
    assert.equal(form.status, 415);
    assert.equal((await daemon.request('GET', `/api/v1/stacks/${moved}/deployments`)).body.length, deployments);
    assert.match(daemon.output(), /WEBHOOK_SECRET is not set/);
  });

  test('two stack names of one compose project answer 409', async () => {
    const name = uniqueStackName('Twin');
    assert.equal((await daemon.request('POST', '/api/v1/stacks', { name: name.toLowerCase(), repo_url: repo.dir, auto_deploy: false, reconcile_interval_seconds: 0 })).status, 201);
    for (const twin of [name, name.toLowerCase().replace('twin', 'tw.in')]) {
      const answer = await daemon.request('POST', '/api/v1/stacks', { name: twin, repo_url: repo.dir });
      assert.deepEqual([answer.status, answer.body.code], [409, 'conflict'], twin);
    }
  });

  test('the data directory is 0700 and the database 0600; every answer carries the security headers', async () => {
    assert.equal((await stat(daemon.dataDir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(daemon.dataDir, 'accelero.db'))).mode & 0o777, 0o600);
    for (const path of ['/health', '/api/v1/stacks', '/api/v1/nothing-here']) {
      const response = await fetch(daemon.url + path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/, path);
    }
  });

  test('wrong keys from one address are answered 429 with Retry-After, then even a right one', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await daemon.request('GET', '/api/v1/stacks', undefined, { 'x-api-key': `acc_wrong_${i}` })).status);
    assert.deepEqual(statuses, [...Array(10).fill(403), 429]);
    const blocked = await fetch(`${daemon.url}/api/v1/stacks`, { headers: { 'x-api-key': daemon.apiKey } });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    assert.equal((await blocked.json()).code, 'too_many_attempts');
  });
});
