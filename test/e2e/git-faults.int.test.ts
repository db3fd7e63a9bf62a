import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { cleanupStack, uniqueStackName } from '../support/docker.ts';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';

// A git server that hangs, through the daemon: the stack on it fails with a timeout that names
// the stack and the URL, retries with backoff, and another stack deploys meanwhile.

const compose = `services:
  web:
    image: accelero-test/web:v1
    deploy:
      update_config:
        monitor: 1s
`;

describe('a hung git server through the daemon', () => {
  let server: GitHttpServer;
  let repo: TestGitRepo;
  let daemon: TestDaemon;
  const hung = uniqueStackName('githang');
  const healthy = uniqueStackName('gitok');

  before(async () => {
    repo = await createGitRepo({ 'docker-compose.yaml': compose });
    server = await startGitHttpServer();
    daemon = await startDaemon({ env: { GIT_TIMEOUT: '2s' } });
  });
  after(async () => {
    await daemon?.stop();
    for (const stack of [hung, healthy]) await cleanupStack(stack);
    await daemon?.cleanup();
    await server?.stop();
    await repo?.remove();
  });

  test('the stack on the hung server fails naming stack, URL and GIT_TIMEOUT, backs off, and the other stack deploys', async () => {
    const hungUrl = server.addRepo('hung', repo.dir);
    const okUrl = server.addRepo('ok', repo.dir);
    server.setFault('hung', { kind: 'hang' });
    const settings = { reconcile_interval_seconds: 0, auto_deploy: true };
    assert.equal((await daemon.request('POST', '/api/v1/stacks', { name: hung, repo_url: hungUrl, ...settings })).status, 201);
    assert.equal((await daemon.request('POST', '/api/v1/stacks', { name: healthy, repo_url: okUrl, ...settings })).status, 201);
    const failed = await eventually(async () => {
      const state = (await daemon.request<{ state: string; last_error: string | null }>('GET', `/api/v1/stacks/${hung}/state`)).body;
      return state.state === 'failed' ? state : undefined;
    }, 'the stack on the hung server to fail', 60_000);
    assert.match(failed.last_error ?? '', new RegExp(`stack "${hung}": git ls-remote of ${hungUrl.replace(/[.]/g, '\\.')} .*made no progress for 2s .*\\(GIT_TIMEOUT\\)`));
    const deployed = await eventually(async () => {
      const list = (await daemon.request<Array<{ status: string }>>('GET', `/api/v1/stacks/${healthy}/deployments`)).body;
      return list.find((d) => d.status === 'completed');
    }, 'the other stack to deploy', 60_000);
    assert.ok(deployed);
    // Backoff: the first retry comes 5 s after the failure, so in the seconds that follow the
    // hung server sees one more attempt at most, not a loop.
    const hitsAtFailure = server.faultHits('hung');
    await eventually(async () => server.faultHits('hung') > hitsAtFailure, 'the retry after the backoff', 30_000);
    const transitions = (await daemon.request<Array<{ to: string }>>('GET', `/api/v1/stacks/${hung}/transitions?limit=1000`)).body;
    assert.ok(transitions.filter((t) => t.to === 'fetching').length <= 3, `${transitions.length} transitions: a backoff, not a loop`);
    server.setFault('hung', undefined);
  });
});
