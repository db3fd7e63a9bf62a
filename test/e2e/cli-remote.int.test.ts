import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { startDaemon, type TestDaemon } from '../support/daemon.ts';
import { cleanupStack, uniqueStackName } from '../support/docker.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';
import { crashing, talker } from '../support/busybox-services.ts';

// `accelero stacks …` and `accelero keys …` against a running daemon on the real engine:
// what people read, what scripts parse (--json) and the exit codes both rely on.

const cli = resolve(import.meta.dirname, '../../bin/accelero');
const execute = promisify(execFile);

interface Run { code: number; stdout: string; stderr: string }

describe('the CLI against a running daemon', () => {
  const stack = uniqueStackName('cli');
  const gated = uniqueStackName('cli-gated');
  let repo: TestGitRepo;
  let daemon: TestDaemon;

  const accelero = async (args: string[], env: Record<string, string> = {}): Promise<Run> => {
    const options = { env: { ...process.env, ACCELERO_URL: daemon.url, ACCELERO_API_KEY: daemon.apiKey, ...env } };
    return execute(cli, args, options).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  };

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': talker('hello from the cli test') });
    daemon = await startDaemon();
  });

  after(async () => {
    await daemon?.stop();
    await cleanupStack(stack);
    await cleanupStack(gated);
    await daemon?.cleanup();
    await repo?.remove();
  });

  test('stacks create makes a stack that stacks ls --json lists', async () => {
    const created = await accelero(['stacks', 'create', stack, '--repo', repo.dir, '--no-auto-deploy', '--interval', '0']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, new RegExp(`created stack ${stack}`));
    const listed = await accelero(['stacks', 'ls', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(JSON.parse(listed.stdout).some((s: { name: string }) => s.name === stack));
  });

  test('stacks deploy --wait prints a line per step and exits 0 once the deployment completed', async () => {
    const run = await accelero(['stacks', 'deploy', stack, '--wait']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^ {2}talker: \S+ /m);
    assert.match(run.stdout, new RegExp(`deployment \\S+ of ${stack} completed at [0-9a-f]{12}`));
  });

  test('stacks logs prints the line the container wrote', async () => {
    const run = await accelero(['stacks', 'logs', stack, 'talker']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /hello from the cli test/);
  });

  test('stacks ls prints a table for people, with the stack and its commit', async () => {
    const run = await accelero(['stacks', 'ls']);
    assert.match(run.stdout, /^NAME +STATUS +SYNC +HEALTH +COMMIT +DEPLOYED$/m);
    assert.match(run.stdout, new RegExp(`^${stack} +\\S+ +\\S+ +\\S+ +[0-9a-f]{12} +\\d{4}-`, 'm'));
  });

  test('a release that does not come up: deploy --wait reports it rolled back and exits 1', async () => {
    await repo.commit({ 'docker-compose.yaml': crashing }, 'a release that crashes');
    const run = await accelero(['stacks', 'deploy', stack, '--wait']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`deployment \\S+ of ${stack} rolled_back`));
  });

  test('keys create shows the new key once; keys ls lists it without; keys rm deletes it', async () => {
    const created = await accelero(['keys', 'create', 'cli viewer', '--role', 'viewer', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const key = JSON.parse(created.stdout);
    assert.match(key.key, /^acc_/);
    const listed = await accelero(['keys', 'ls']);
    assert.match(listed.stdout, /cli viewer +viewer +all +no/);
    assert.equal(listed.stdout.includes(key.key), false);
    const asViewer = await accelero(['stacks', 'deploy', stack], { ACCELERO_API_KEY: key.key });
    assert.equal(asViewer.code, 3);
    assert.match(asViewer.stderr, /HTTP 403/);
    assert.equal((await accelero(['keys', 'rm', key.id])).code, 0);
    assert.equal((await accelero(['stacks', 'ls'], { ACCELERO_API_KEY: key.key })).code, 3);
  });

  test('deploy --wait stops at a plan that waits for approval (exit 0); approve --wait deploys it; reject ends the next one', async (t) => {
    // Its own repository: the tests above leave theirs at a release that crashes.
    const gatedRepo = await createGitRepo({ 'docker-compose.yaml': talker('waiting for approval') });
    t.after(() => gatedRepo.remove());
    const created = await accelero(['stacks', 'create', gated, '--repo', gatedRepo.dir, '--no-auto-deploy', '--interval', '0', '--requires-approval']);
    assert.equal(created.code, 0, created.stderr);
    const planned = await accelero(['stacks', 'deploy', gated, '--wait']);
    assert.equal(planned.code, 0, planned.stderr);
    const id = /deployment (\S+) of \S+ waits for approval/.exec(planned.stdout)?.[1];
    assert.ok(id, planned.stdout);
    assert.match(planned.stdout, new RegExp(`accelero stacks approve ${gated} ${id}`));
    const approved = await accelero(['stacks', 'approve', gated, id, '--wait']);
    assert.equal(approved.code, 0, approved.stderr + approved.stdout);
    assert.match(approved.stdout, new RegExp(`deployment ${id} of ${gated} completed`));
    await gatedRepo.commit({ 'docker-compose.yaml': talker('a change nobody approves') }, 'unapproved');
    const next = await accelero(['stacks', 'deploy', gated, '--wait', '--json']);
    const waiting = JSON.parse(next.stdout);
    assert.equal(waiting.status, 'awaiting_approval');
    const rejected = await accelero(['stacks', 'reject', gated, waiting.id, '--reason', 'not today']);
    assert.equal(rejected.code, 0, rejected.stderr);
    assert.match(rejected.stdout, new RegExp(`deployment ${waiting.id} of ${gated} rejected at \\w+: not today`));
    const again = await accelero(['stacks', 'approve', gated, waiting.id]);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /not awaiting approval.*HTTP 409/);
  });

  test('an unknown stack exits 3 with the API message; no daemon at ACCELERO_URL exits 4; no key exits 2', async () => {
    const unknown = await accelero(['stacks', 'show', 'acct-no-such-stack']);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /not found.*HTTP 404/);
    const away = await accelero(['stacks', 'ls'], { ACCELERO_URL: 'http://127.0.0.1:9' });
    assert.equal(away.code, 4);
    assert.match(away.stderr, /no Accelero answers at http:\/\/127\.0\.0\.1:9/);
    const keyless = await accelero(['stacks', 'ls'], { ACCELERO_API_KEY: '' });
    assert.equal(keyless.code, 2);
  });
});
