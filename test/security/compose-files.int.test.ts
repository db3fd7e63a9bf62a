import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { allContainers, cleanupStack, docker, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// A compose file in a watched repository, written by an attacker, through the running daemon on
// the real engine: it cannot read the daemon's environment, and what the deploy policy denies
// fails before anything is changed, naming stack, service, field and rule.

const API_KEY = 'acc_security_daemon_key_0123456789';
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

interface Deployment { id: string; status: string; error_message: string | null }

describe('attacks from a compose file', () => {
  const reader = uniqueStackName('reader');
  const victim = uniqueStackName('victim');
  const grabber = uniqueStackName('grabber');
  const repos: TestGitRepo[] = [];
  let daemon: TestDaemon;
  let viewerKey: string;
  let operatorKey: string;

  before(async () => {
    daemon = await startDaemon({ env: { API_KEY, ACCELERO_ENCRYPTION_KEY: ENCRYPTION_KEY, SECURITY_MARKER: 'daemon-only' } });
    viewerKey = (await daemon.request('POST', '/api/v1/apikeys', { name: 'sec viewer', role: 'viewer' })).body.key;
    operatorKey = (await daemon.request('POST', '/api/v1/apikeys', { name: 'sec operator', role: 'operator' })).body.key;
  });

  after(async () => {
    await daemon?.stop();
    for (const stack of [reader, victim, grabber]) await cleanupStack(stack);
    await daemon?.cleanup();
    for (const repo of repos) await repo.remove();
  });

  const repoWith = async (compose: string, extra: Record<string, string> = {}) => {
    const repo = await createGitRepo({ 'docker-compose.yaml': compose, ...extra });
    repos.push(repo);
    return repo;
  };
  const createStack = async (name: string, repo: TestGitRepo, fields: Record<string, unknown> = {}) => {
    const created = await daemon.request('POST', '/api/v1/stacks', { name, repo_url: repo.dir, auto_deploy: false, reconcile_interval_seconds: 0, ...fields });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  };
  /** The reconcile a change of secrets asks for has run: a deploy now starts a cycle of its own. */
  const settled = (name: string) => eventually(async () => {
    const { body } = await daemon.request('GET', `/api/v1/stacks/${name}/state`);
    return ['idle', 'failed', 'paused'].includes(body.state) && body.queued_events.length === 0;
  }, `${name} to settle`);
  const deploy = async (name: string): Promise<Deployment> => {
    await settled(name);
    const { body } = await daemon.request('POST', `/api/v1/stacks/${name}/deploy`);
    return eventually(async () => {
      const d = (await daemon.request('GET', `/api/v1/stacks/${name}/deployments/${body.deployment_id}`)).body as Deployment;
      return ['completed', 'failed', 'rolled_back'].includes(d.status) ? d : undefined;
    }, `deployment of ${name}`);
  };

  test("${API_KEY} and a bare API_KEY see nothing of the daemon's environment; the stack's variables and secrets win over .env", async () => {
    const repo = await repoWith(`services:
  web:
    image: accelero-test/web:v1
    labels:
      leak.key: "\${API_KEY}"
      leak.encryption: "\${ACCELERO_ENCRYPTION_KEY}"
      leak.marker: "\${SECURITY_MARKER}"
      greeting: "\${GREETING}"
    environment: [API_KEY, SECURITY_MARKER, "DB_PASSWORD=\${DB_PASSWORD}"]
    deploy: {update_config: {monitor: 1s}}
`, { '.env': 'GREETING=from-dotenv\nDB_PASSWORD=from-dotenv\n' });
    await createStack(reader, repo, { variables: { GREETING: 'from-the-stack' } });
    const stored = await daemon.request('POST', `/api/v1/stacks/${reader}/secrets`, { name: 'DB_PASSWORD', value: 'sealed-secret-value' });
    assert.deepEqual([stored.status, stored.body], [201, { name: 'DB_PASSWORD', created: true }]);
    assert.equal((await deploy(reader)).status, 'completed');
    const seen = (await daemon.request('GET', `/api/v1/stacks/${reader}/containers`, undefined, { 'x-api-key': viewerKey })).body[0];
    assert.deepEqual([seen.labels['leak.key'], seen.labels['leak.encryption'], seen.labels['leak.marker'], seen.labels.greeting], ['', '', '', 'from-the-stack']);
    const env = (await docker.getContainer(seen.id).inspect()).Config.Env as string[];
    assert.equal(env.some((line) => line.includes(API_KEY) || line.includes('daemon-only')), false, env.join(' '));
    assert.ok(env.includes('DB_PASSWORD=sealed-secret-value'));
    const listed = (await daemon.request('GET', `/api/v1/stacks/${reader}/secrets`, undefined, { 'x-api-key': viewerKey })).body;
    assert.deepEqual(listed.map((s: Record<string, unknown>) => Object.keys(s).sort()), [['created_at', 'name', 'stack_id', 'updated_at']]);
  });

  test('rotating a secret recreates only the service that uses it, and the old value is nowhere in the database', async () => {
    const FIRST_TOKEN = 'rotation-token-first-7f3a';
    const repo = await repoWith(`services:
  uses:
    image: accelero-test/web:v1
    environment: ["TOKEN=\${TOKEN}"]
    deploy: {update_config: {monitor: 1s}}
  other:
    image: accelero-test/web:v1
    deploy: {update_config: {monitor: 1s}}
`);
    const name = uniqueStackName('rotate');
    try {
      await createStack(name, repo);
      await daemon.request('POST', `/api/v1/stacks/${name}/secrets`, { name: 'TOKEN', value: FIRST_TOKEN });
      assert.equal((await deploy(name)).status, 'completed');
      // Running ones only: a replaced container is removed just after its deployment completed.
      const runningByService = async () => Object.fromEntries((await allContainers(name)).filter((c) => c.State === 'running').map((c) => [c.Labels['accelero.service'], c.Id]));
      const before = await runningByService();
      const rotated = await daemon.request('POST', `/api/v1/stacks/${name}/secrets`, { name: 'TOKEN', value: 'rotation-token-second-9b2c' });
      assert.deepEqual([rotated.status, rotated.body.created], [200, false]);
      const second = await deploy(name);
      assert.equal(second.status, 'completed');
      const afterIds = await runningByService();
      assert.equal(afterIds.other, before.other);
      assert.notEqual(afterIds.uses, before.uses, JSON.stringify(second));
      // The replaced container's snapshot held TOKEN=<first value>: it is sealed in the database.
      const files = await Promise.all(['accelero.db', 'accelero.db-wal'].map((f) => readFile(join(daemon.dataDir, f)).catch(() => Buffer.alloc(0))));
      assert.equal(files.some((bytes) => bytes.includes(FIRST_TOKEN)), false, 'a secret value is in the database in plaintext');
    } finally {
      await cleanupStack(name);
    }
  });

  test('privileged, host namespaces, capabilities, devices and Docker socket / data directory binds fail the deploy and create nothing', async () => {
    await deploy(reader); // the victim of the network attack below is this daemon's own stack
    const repo = await repoWith(`services:
  root:
    image: accelero-test/web:v1
    privileged: true
    cap_add: [SYS_ADMIN]
  hostns:
    image: accelero-test/web:v1
    network_mode: host
    pid: host
  socket:
    image: accelero-test/web:v1
    volumes: ["/var/run/docker.sock:/var/run/docker.sock", "${daemon.dataDir}:/stolen"]
    devices: ["/dev/fuse:/dev/fuse"]
`);
    await createStack(grabber, repo);
    const preview = await daemon.request('POST', `/api/v1/stacks/${grabber}/preview`);
    assert.equal(preview.status, 200);
    const rules = preview.body.policy_violations.map((v: { service_name: string; field: string; rule: string }) => `${v.service_name}.${v.field}:${v.rule}`).sort();
    assert.deepEqual(rules, [
      'hostns.network_mode:host_network', 'hostns.pid:host_pid', 'root.cap_add:capabilities', 'root.privileged:privileged',
      'socket.devices:devices', 'socket.volumes:data_dir', 'socket.volumes:docker_socket',
    ]);
    const deployment = await deploy(grabber);
    assert.equal(deployment.status, 'failed');
    assert.match(deployment.error_message!, new RegExp(`stack "${grabber}", service "root", field "privileged": .*\\(rule privileged\\)`));
    assert.match(deployment.error_message!, /Nothing was changed/);
    assert.deepEqual(await allContainers(grabber), []);
  });

  test("joining another stack's network under its service alias is refused; an external network stays allowed", async () => {
    const victimNetwork = `${reader.toLowerCase()}_default`;
    const repo = await repoWith(`services:
  web:
    image: accelero-test/web:v1
    networks:
      stolen: {aliases: [web]}
networks:
  stolen: {name: ${victimNetwork}}
`);
    await createStack(victim, repo);
    const deployment = await deploy(victim);
    assert.equal(deployment.status, 'failed');
    assert.match(deployment.error_message!, new RegExp(`service "web", field "networks.stolen": network ${victimNetwork} belongs to stack "${reader}" \\(rule other_stack_resources\\)`));
    assert.deepEqual(await allContainers(victim), []);
    await repo.commit({ 'docker-compose.yaml': `services:\n  web:\n    image: accelero-test/web:v1\n    networks: [shared]\n    deploy: {update_config: {monitor: 1s}}\nnetworks:\n  shared: {name: ${victimNetwork}, external: true}\n` });
    assert.equal((await deploy(victim)).status, 'completed');
  });

  test('only an admin allows an exception, and then the deploy goes through', async () => {
    const refused = await daemon.request('PUT', `/api/v1/stacks/${grabber}`, { policy: { allow: ['privileged'] } }, { 'x-api-key': operatorKey });
    assert.deepEqual([refused.status, refused.body.code], [403, 'forbidden']);
    assert.match(refused.body.error, /setting policy needs the admin role/);
    const allowed = await daemon.request('PUT', `/api/v1/stacks/${grabber}`, {
      policy: { allow: ['privileged', 'capabilities', 'host_network', 'host_pid', 'devices', 'docker_socket', 'data_dir'] },
    });
    assert.equal(allowed.status, 200);
    assert.deepEqual((await daemon.request('POST', `/api/v1/stacks/${grabber}/preview`)).body.policy_violations, []);
  });

  test('an operator cannot point a stack at a repository on the daemon\'s disk', async () => {
    const name = uniqueStackName('local');
    for (const repo_url of [daemon.dataDir, `file://${daemon.dataDir}/stacks/.mirrors`]) {
      const answer = await daemon.request('POST', '/api/v1/stacks', { name, repo_url }, { 'x-api-key': operatorKey });
      assert.deepEqual([answer.status, answer.body.code], [403, 'forbidden'], repo_url);
    }
    assert.equal((await daemon.request('GET', `/api/v1/stacks/${name}`)).status, 404);
  });
});
