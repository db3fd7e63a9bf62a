import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, startDaemon, type TestDaemon } from '../support/daemon.ts';
import { watchEvents } from '../support/event-stream.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';
import { uniqueStackName } from '../support/docker.ts';
import { startTestEngine, type TestEngine } from '../support/test-engine.ts';

// The daemon against a private engine that is restarted or frozen in the middle of a rollout:
// when the engine is back the stack converges — exactly one container per replica, the
// previous or the new release, nothing stopped or renamed aside — and the deployment's final
// status says what happened. While it is away the API answers and nothing busy-loops.

const compose = (greeting: string, order: 'start-first' | 'stop-first') => `services:
  web:
    image: accelero-test/web:v1
    # Ready after 6 s: the verification of a new container is a window wide enough to hit.
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 6; touch /tmp/ready; httpd -f -p 8080 -h /www & wait"]
    restart: unless-stopped
    environment:
      GREETING: "${greeting}"
    stop_grace_period: 2s
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      retries: 30
      start_period: 30s
    deploy:
      update_config:
        order: ${order}
`;

interface Deployment { id: string; status: string; git_commit: string; error_message: string | null }

describe('a Docker engine that restarts or hangs mid-rollout', () => {
  let engine: TestEngine;
  let daemon: TestDaemon;
  const repos: TestGitRepo[] = [];

  before(async () => {
    engine = await startTestEngine();
    daemon = await startDaemon({ env: { DOCKER_HOST: engine.dockerHost, DOCKER_TIMEOUT: '3s', MAX_CONCURRENT_DEPLOYS: '1' } });
  });
  after(async () => {
    engine?.thaw?.();
    await daemon?.stop();
    await daemon?.cleanup();
    await engine?.cleanup();
    for (const repo of repos) await repo.remove();
  });

  const deployments = async (stack: string) => (await daemon.request<Deployment[]>('GET', `/api/v1/stacks/${stack}/deployments`)).body;
  const containersOf = (stack: string) => engine.docker.listContainers({ all: true, filters: { label: [`accelero.stack=${stack}`] } });

  /** A stack on the test engine with its first release deployed. */
  async function deployedStack(prefix: string, order: 'start-first' | 'stop-first') {
    const stack = uniqueStackName(prefix);
    const repo = await createGitRepo({ 'docker-compose.yaml': compose('one', order) });
    repos.push(repo);
    const created = await daemon.request('POST', '/api/v1/stacks', { name: stack, repo_url: repo.url, reconcile_interval_seconds: 5 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const first = await repo.git('rev-parse', 'HEAD');
    await eventually(async () => (await deployments(stack)).find((d) => d.git_commit === first && d.status === 'completed'), 'the first release');
    return { stack, repo };
  }

  /** One running web container of the previous or the new release, nothing aside, the deployment finished. */
  async function converged(stack: string, deploymentId: string) {
    return eventually(async () => {
      const list = await containersOf(stack);
      const state = (await daemon.request<{ state: string }>('GET', `/api/v1/stacks/${stack}/state`)).body.state;
      const interrupted = (await deployments(stack)).find((d) => d.id === deploymentId);
      if (list.length !== 1 || list[0]!.State !== 'running' || state !== 'idle' || !interrupted || /pending|in_progress/.test(interrupted.status)) return undefined;
      return { container: list[0]!, interrupted };
    }, `stack ${stack} to converge`, 150_000).catch(async (error: Error) => {
      const names = (await containersOf(stack)).map((c) => `${c.Names[0]} ${c.State}`);
      throw new Error(`${error.message}; containers: ${names.join(', ')}; deployments: ${JSON.stringify(await deployments(stack))}`);
    });
  }

  async function restartDuring(order: 'start-first' | 'stop-first', step: string, outageMs: number) {
    const { stack, repo } = await deployedStack(`eng-${order}`, order);
    const events = await watchEvents(daemon, stack);
    try {
      await repo.commit({ 'docker-compose.yaml': compose('two', order) }, 'greeting two');
      const { body } = await daemon.request<{ deployment_id: string }>('POST', `/api/v1/stacks/${stack}/deploy`);
      await events.next((e) => e.kind === 'deployment' && e.data.deployment_id === body.deployment_id && e.data.step === step, `the ${step} step`);
      await engine.stop(); // as systemctl restart docker: running containers are stopped on the way down
      const transitionsBefore = (await daemon.request<unknown[]>('GET', `/api/v1/stacks/${stack}/transitions?limit=1000`)).body.length;
      await sleep(outageMs);
      const whileAway = { stacks: (await daemon.request('GET', '/api/v1/stacks')).status, transitions: (await daemon.request<unknown[]>('GET', `/api/v1/stacks/${stack}/transitions?limit=1000`)).body.length };
      await engine.start();
      const { container, interrupted } = await converged(stack, body.deployment_id);
      const greeting = (await engine.docker.getContainer(container.Id).inspect()).Config.Env.find((e) => e.startsWith('GREETING='));
      assert.ok(greeting === 'GREETING=one' || greeting === 'GREETING=two', String(greeting));
      assert.doesNotMatch(container.Names[0]!, /accelero-(old|new)/);
      assert.ok(['rolled_back', 'completed'].includes(interrupted.status), interrupted.status);
      if (interrupted.status === 'rolled_back') assert.ok(interrupted.error_message, 'a rolled-back deployment says why');
      return { stack, whileAway, transitionsDuringOutage: whileAway.transitions - transitionsBefore };
    } finally {
      events.close();
    }
  }

  const remove = (stack: string) => daemon.request('DELETE', `/api/v1/stacks/${stack}?remove_containers=true`);

  test('start-first: the engine going down while the new container is created', async () => {
    const { stack } = await restartDuring('start-first', 'create', 0);
    await remove(stack);
  });

  test('start-first: the engine going away for a while during verification; the API answers and nothing busy-loops', async () => {
    const { stack, whileAway, transitionsDuringOutage } = await restartDuring('start-first', 'verify', 12_000);
    assert.equal(whileAway.stacks, 200, 'the API answers while the engine is away');
    // Backoff: a failed cycle is retried after 5 s, 10 s, ...: a handful of transitions, not hundreds.
    assert.ok(transitionsDuringOutage <= 15, `${transitionsDuringOutage} transitions in 12 s without an engine`);
    await remove(stack);
  });

  test('stop-first: the engine going down right after the old container was stopped', async () => {
    const { stack } = await restartDuring('stop-first', 'stop', 0);
    await remove(stack);
  });

  test('stop-first: the engine going down during verification', async () => {
    const { stack } = await restartDuring('stop-first', 'verify', 0);
    await remove(stack);
  });

  test('a hung engine: every call times out, the deploy fails clearly, its slot is released, and it converges after thaw', async () => {
    const { stack, repo } = await deployedStack('eng-hung', 'start-first');
    const events = await watchEvents(daemon, stack);
    try {
      const second = await repo.commit({ 'docker-compose.yaml': compose('two', 'start-first') }, 'greeting two');
      const { body } = await daemon.request<{ deployment_id: string }>('POST', `/api/v1/stacks/${stack}/deploy`);
      await events.next((e) => e.kind === 'deployment' && e.data.deployment_id === body.deployment_id && e.data.step === 'verify', 'the verify step');
      engine.freeze();
      const failed = await eventually(async () => {
        const state = (await daemon.request<{ state: string; last_error: string | null }>('GET', `/api/v1/stacks/${stack}/state`)).body;
        return state.state === 'failed' ? state : undefined;
      }, 'the stack to fail on the hung engine', 90_000);
      assert.match(failed.last_error ?? '', /did not answer .* \(DOCKER_TIMEOUT\)|DOCKER_TIMEOUT/);
      const metrics = (await fetch(`${daemon.url}/metrics`).then((r) => r.text()));
      assert.match(metrics, /^accelero_deploy_slots_in_use 0$/m, 'the failed deploy gave its slot back');
      const ready = await eventually(async () => {
        const answer = await daemon.request<{ checks: { docker: string } }>('GET', '/readyz');
        return answer.status === 503 ? answer.body : undefined;
      }, '/readyz to report the hung engine', 90_000);
      assert.match(ready.checks.docker, /did not answer|DOCKER_TIMEOUT/);
      engine.thaw();
      await eventually(async () => (await deployments(stack)).find((d) => d.git_commit === second && d.status === 'completed'), 'the release to be deployed once the engine answers', 150_000);
      const { container } = await converged(stack, body.deployment_id);
      assert.ok((await engine.docker.getContainer(container.Id).inspect()).Config.Env.includes('GREETING=two'), 'an engine failure does not blame the commit');
    } finally {
      events.close();
      engine.thaw();
    }
    await remove(stack);
  });
});
