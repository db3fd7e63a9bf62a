import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromPromise } from 'xstate';
import { EventBus } from '../../actors/event-bus.ts';
import type { StackSteps } from '../../actors/stack-steps.ts';
import { Supervisor } from '../../actors/supervisor.ts';
import type { ObservedTransition, TransitionRecorder } from '../../actors/transition-recorder.ts';
import { MAX_RESTARTS } from '../../machines/supervisor.machine.ts';
import type { StackRecord } from '../../persistence/entities/records.ts';
import { silentLogger } from '../../src/logger.ts';
import { eventually } from '../support/daemon.ts';

// The root supervisor with fake steps: routing, persisted transitions, crash restarts.

function stackRow(id: string): StackRecord {
  const now = new Date().toISOString();
  return {
    id, name: id, repo_url: '/repo', repo_branch: 'main', repo_ref: null, compose_path: 'compose.yaml', service_filter: null,
    auto_deploy: false, reconcile_interval_seconds: 0, repo_username: null, repo_token_sealed: null, repo_ssh_key_sealed: null,
    docker_registry: null, docker_username: null, docker_password_sealed: null, paused: false, state: 'idle',
    sync_status: 'unknown', health_status: 'unknown', last_error: null, failed_commit: null, git_commit: null,
    last_deployed_at: null, last_reconciled_at: null, created_at: now, updated_at: now,
  };
}

function fakeSteps(calls: string[]): StackSteps {
  const step = <T>(name: string, output: T) => fromPromise(async ({ input }: { input: { stackId: string } }) => {
    calls.push(`${input.stackId}:${name}`);
    return output;
  });
  return {
    actors: {
      fetchSource: step('fetch', { commit: 'c1', unchanged: false }),
      planChanges: step('diff', { hasChanges: false, syncStatus: 'synced', healthStatus: 'healthy', changeCount: 0 }),
      applyPlan: step('apply', { deploymentId: 'd', result: 'applied' }),
      verifyRollout: step('verify', { healthy: true }),
      rollBack: step('rollback', { restored: true }),
    } as unknown as StackSteps['actors'],
    forget: () => {},
  };
}

function startSupervisor(crashing: Set<string>) {
  const calls: string[] = [];
  const transitions: ObservedTransition[] = [];
  const supervisor = new Supervisor({
    steps: fakeSteps(calls),
    recorder: { record: (t: ObservedTransition) => transitions.push(t) } as unknown as TransitionRecorder,
    events: new EventBus(),
    logger: silentLogger(),
    releaseDeploySlot: (stackId) => {
      if (crashing.has(stackId)) throw new Error(`boom in ${stackId}`);
    },
  });
  return { supervisor, calls, transitions };
}

const until = (check: () => boolean, what: string, timeoutMs = 20_000) => eventually(async () => check(), what, timeoutMs);

describe('Supervisor', () => {
  test('events are routed to the stack they name and every transition is recorded in order', async () => {
    const { supervisor, calls, transitions } = startSupervisor(new Set());
    supervisor.start([stackRow('a'), stackRow('b')]);
    supervisor.send('b', { type: 'SYNC' });
    await until(() => calls.length === 2 && supervisor.state('b')?.state === 'idle', 'stack b to cycle');
    assert.deepEqual(calls, ['b:fetch', 'b:diff']);
    const ofB = transitions.filter((t) => t.stackId === 'b').map((t) => `${t.from}>${t.to}`);
    assert.deepEqual(ofB, ['start>idle', 'idle>fetching', 'fetching>diffing', 'diffing>idle']);
    assert.equal(supervisor.state('a')?.state, 'idle');
    supervisor.stop();
  });

  test('a stack actor that keeps crashing is restarted with backoff, then parked as failed; the others go on', async () => {
    const { supervisor, calls } = startSupervisor(new Set(['crashy']));
    supervisor.start([stackRow('crashy'), stackRow('calm')]);
    await until(() => supervisor.state('crashy')?.state === 'failed' && !supervisor.has('crashy'), 'crashy to be parked', 30_000);
    assert.match(supervisor.state('crashy')!.last_error!, /repeated crashes: boom in crashy/);
    assert.equal(MAX_RESTARTS, 3);
    supervisor.send('calm', { type: 'SYNC' });
    await until(() => calls.includes('calm:diff'), 'calm to keep working');
    supervisor.stop();
  });

  test('a removed stack gets no more events', async () => {
    const { supervisor, calls } = startSupervisor(new Set());
    supervisor.start([stackRow('gone')]);
    supervisor.remove('gone');
    supervisor.send('gone', { type: 'SYNC' });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(calls, []);
    assert.equal(supervisor.has('gone'), false);
    supervisor.stop();
  });
});
