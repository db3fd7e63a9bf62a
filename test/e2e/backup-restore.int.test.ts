import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { cleanupStack, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// A backup taken online while a deploy runs, restored with `accelero restore` into the data
// directory of a new daemon: it lists the same stacks and deployments and finishes what the
// backup shows in progress.

const run = promisify(execFile);
const cli = resolve(import.meta.dirname, '../../bin/accelero');
const ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');
const compose = `services:
  web:
    image: accelero-test/web:v1
    environment: ["TOKEN=\${TOKEN}"]
    deploy: {update_config: {monitor: 3s}}
`;

describe('backup and restore', () => {
  const stacks = [uniqueStackName('backup-a'), uniqueStackName('backup-b')];
  const env = { ACCELERO_ENCRYPTION_KEY: ENCRYPTION_KEY };
  let repo: TestGitRepo;
  let first: TestDaemon;
  let second: TestDaemon | undefined;
  let restoredDir = '';
  let backupFile = '';
  let inProgressId = '';

  const deployments = async (daemon: TestDaemon, stack: string) =>
    ((await daemon.request('GET', `/api/v1/stacks/${stack}/deployments`)).body as { id: string; status: string }[]);

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose });
    first = await startDaemon({ env });
    restoredDir = await mkdtemp(join(tmpdir(), 'accelero-restored-'));
    backupFile = join(restoredDir, 'backup.db');
    for (const name of stacks) {
      const created = await first.request('POST', '/api/v1/stacks', { name, repo_url: repo.dir, auto_deploy: false, reconcile_interval_seconds: 0 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await first.request('POST', `/api/v1/stacks/${name}/secrets`, { name: 'TOKEN', value: `sealed-${name}` });
    }
  });

  after(async () => {
    await second?.stop();
    await first?.stop();
    for (const name of stacks) await cleanupStack(name);
    await second?.cleanup();
    await first?.cleanup();
    await rm(restoredDir, { recursive: true, force: true });
    await repo?.remove();
  });

  test('an admin downloads a consistent copy of the database while a deploy is in progress', async () => {
    await eventually(async () => (await first.request('GET', `/api/v1/stacks/${stacks[0]}/state`)).body.state === 'idle', 'the first stack to settle');
    const { body } = await first.request('POST', `/api/v1/stacks/${stacks[0]}/deploy`);
    await eventually(async () => {
      const d = (await first.request('GET', `/api/v1/stacks/${stacks[0]}/deployments/${body.deployment_id}`)).body;
      return d.status === 'in_progress' ? true : undefined;
    }, 'the deploy to be in progress');
    inProgressId = body.deployment_id;
    const response = await fetch(`${first.url}/api/v1/admin/backup`, { method: 'POST', headers: { 'x-api-key': first.apiKey } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="accelero-.*\.db"/);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(bytes.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    await writeFile(backupFile, bytes);
    const leftovers = async () => (await readdir(first.dataDir)).filter((name) => name.startsWith('.backup-'));
    await eventually(async () => ((await leftovers()).length === 0 ? true : undefined), 'the temporary copy to be removed');
  });

  test('an operator key may not take a backup', async () => {
    const operator = (await first.request('POST', '/api/v1/apikeys', { name: 'backup operator', role: 'operator' })).body.key;
    const response = await fetch(`${first.url}/api/v1/admin/backup`, { method: 'POST', headers: { 'x-api-key': operator } });
    assert.equal(response.status, 403);
  });

  test('accelero restore refuses a data directory whose daemon runs, naming it', async () => {
    const databasePath = join(first.dataDir, 'accelero.db');
    const failed = await run(cli, ['restore', backupFile, '--database', databasePath]).then(() => undefined, (error) => error);
    assert.equal(failed?.code, 1);
    assert.match(failed.stderr, /data directory is in use/);
  });

  test('restored into a new data directory, a daemon lists the same stacks and deployments and finishes the interrupted one', async () => {
    await first.stop();
    const databasePath = join(restoredDir, 'data', 'accelero.db');
    const { stdout } = await run(cli, ['restore', backupFile, '--database', databasePath]);
    assert.match(stdout, /restored .* \(2 stacks\)/);
    second = await startDaemon({ dataDir: join(restoredDir, 'data'), env });
    const listed = (await second.request('GET', '/api/v1/stacks')).body.map((s: { name: string }) => s.name).sort();
    assert.deepEqual(listed, [...stacks].sort());
    // The backup holds the deployment as in progress; the new daemon recovers it at start.
    const ended = await eventually(async () => {
      const found = (await deployments(second!, stacks[0]!)).find((d) => d.id === inProgressId);
      return found && !['in_progress', 'pending'].includes(found.status) ? found : undefined;
    }, 'the interrupted deployment to end');
    assert.ok(['interrupted', 'rolled_back', 'completed', 'failed'].includes(ended.status), ended.status);
    assert.deepEqual(await deployments(second, stacks[1]!), []);
    const { status } = await second.request('GET', `/api/v1/stacks/${stacks[1]}/secrets`);
    assert.equal(status, 200);
  });
});
