import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { allContainers, cleanupStack, uniqueStackName } from '../support/docker.ts';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';
import { startSshServer, type SshServer } from '../support/ssh-server.ts';

// Private repositories through the real daemon: smart HTTP with a token, SSH with a key.
// A wrong token fails clearly without touching what runs, and no secret leaks anywhere.

const compose = (greeting: string) => `services:
  web:
    image: accelero-test/web:v1
    environment:
      GREETING: "${greeting}"
    deploy:
      update_config:
        monitor: 1s
`;

const TOKEN = 'tok_9f1c2e7a5b3d4c8e6a0b1c2d3e4f5a6b';

interface Deployment { id: string; status: string; error_message: string | null; git_commit: string }

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) hits.push(path);
  }
  return hits;
}

describe('private repositories through the daemon', () => {
  const httpStack = uniqueStackName('http');
  const sshStack = uniqueStackName('ssh');
  const sshStrangerStack = uniqueStackName('sshstranger');
  let repo: TestGitRepo;
  let http: GitHttpServer;
  let ssh: SshServer;
  let daemon: TestDaemon;
  const answers: string[] = [];

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose('one') });
    http = await startGitHttpServer({ auth: { username: 'deployer', password: TOKEN } });
    ssh = await startSshServer();
    daemon = await startDaemon();
  });

  after(async () => {
    await daemon?.stop();
    await cleanupStack(httpStack);
    await cleanupStack(sshStack);
    await cleanupStack(sshStrangerStack);
    await daemon?.cleanup();
    await http?.stop();
    await ssh?.stop();
    await repo?.remove();
  });

  const request = async (method: string, path: string, body?: unknown) => {
    const answer = await daemon.request(method, path, body);
    answers.push(JSON.stringify(answer.body));
    return answer;
  };
  const deployAndWait = async (stack: string) => {
    const { body } = await request('POST', `/api/v1/stacks/${stack}/deploy`);
    return eventually(async () => {
      const d = (await request('GET', `/api/v1/stacks/${stack}/deployments/${body.deployment_id}`)).body as Deployment;
      return ['completed', 'failed', 'rolled_back'].includes(d.status) ? d : undefined;
    }, `deployment of ${stack}`);
  };

  test('a repository behind HTTP basic auth deploys with repo_username and repo_token', async () => {
    const url = http.addRepo('app', repo.dir);
    const created = await request('POST', '/api/v1/stacks', {
      name: httpStack, repo_url: url, repo_username: 'deployer', repo_token: TOKEN, auto_deploy: false, reconcile_interval_seconds: 0,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.has_repo_token, true);
    const deployment = await deployAndWait(httpStack);
    assert.equal(deployment.status, 'completed', JSON.stringify(deployment));
    assert.equal((await allContainers(httpStack)).length, 1);
  });

  test('a wrong token fails with an authentication error and leaves the running containers alone', async () => {
    const before = (await allContainers(httpStack)).map((c) => c.Id);
    await repo.commit({ 'docker-compose.yaml': compose('two') }, 'two');
    const updated = await request('PUT', `/api/v1/stacks/${httpStack}`, { repo_token: 'wrong-token' });
    assert.equal(updated.status, 200);
    const deployment = await deployAndWait(httpStack);
    assert.equal(deployment.status, 'failed');
    assert.match(deployment.error_message!, /authentication/i);
    assert.match(deployment.error_message!, new RegExp(httpStack));
    assert.doesNotMatch(deployment.error_message!, /wrong-token/);
    assert.deepEqual((await allContainers(httpStack)).map((c) => c.Id), before);
  });

  test('a repository over SSH deploys with repo_ssh_key, its host checked against repo_ssh_known_hosts', async () => {
    const created = await request('POST', '/api/v1/stacks', {
      name: sshStack, repo_url: ssh.url(repo.dir), repo_ssh_key: ssh.privateKey, repo_ssh_known_hosts: ssh.knownHosts,
      auto_deploy: false, reconcile_interval_seconds: 0,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.has_repo_ssh_key, true);
    const deployment = await deployAndWait(sshStack);
    assert.equal(deployment.status, 'completed', JSON.stringify(deployment));
    assert.equal(deployment.git_commit, await repo.git('rev-parse', 'HEAD'));
  });

  test('an SSH host that known_hosts does not vouch for is refused with a host key error', async () => {
    const stranger = ssh.knownHosts.replace(`]:${ssh.port} `, `]:${ssh.port === 1 ? 2 : 1} `);
    assert.notEqual(stranger, ssh.knownHosts);
    const created = await request('POST', '/api/v1/stacks', {
      name: sshStrangerStack, repo_url: ssh.url(repo.dir), repo_ssh_key: ssh.privateKey, repo_ssh_known_hosts: stranger,
      auto_deploy: false, reconcile_interval_seconds: 0,
    });
    assert.equal(created.status, 201);
    const deployment = await deployAndWait(sshStrangerStack);
    assert.equal(deployment.status, 'failed');
    assert.match(deployment.error_message!, /host key/i);
    assert.deepEqual(await allContainers(sshStrangerStack), []);
  });

  test('no token or key appears in the API answers, the logs, the database or the data directory', async () => {
    const keyBody = ssh.privateKey.split('\n')[1]!;
    for (const secret of [TOKEN, 'wrong-token', keyBody]) {
      assert.equal(answers.some((a) => a.includes(secret)), false, 'API answers');
      assert.equal(daemon.output().includes(secret), false, 'daemon logs');
      assert.deepEqual(await filesContaining(daemon.dataDir, secret), [], 'data directory and database');
    }
  });
});
