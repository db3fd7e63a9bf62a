import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromPromise } from 'xstate';
import { DeploySlots } from '../../actors/deploy-slots.ts';
import type { StackSteps } from '../../actors/stack-steps.ts';
import { stackInputFrom, Supervisor } from '../../actors/supervisor.ts';
import type { ObservedTransition, TransitionRecorder } from '../../actors/transition-recorder.ts';
import { MAX_RESTARTS } from '../../machines/supervisor.machine.ts';
import type { StackRecord } from '../../persistence/entities/records.ts';
import { silentLogger } from '../../src/logger.ts';
import { eventually } from '../support/daemon.ts';

// The root supervisor with fake steps: routing, persisted transitions, crash restarts.

function stackRow(id: string, overrides: Partial<StackRecord> = {}): StackRecord {
  const now = new Date().toISOString();
  return {
    id, name: id, repo_url: '/repo', repo_branch: 'main', repo_ref: null, compose_path: 'compose.yaml', service_filter: null,
    auto_deploy: false, requires_approval: false, reconcile_interval_seconds: 0, repo_username: null, repo_token_sealed: null, repo_ssh_key_sealed: null,
    docker_registry: null, docker_username: null, docker_password_sealed: null, paused: false, state: 'idle',
    sync_status: 'unknown', health_status: 'unknown', last_error: null, failed_commit: null, git_commit: null,
    last_deployed_at: null, last_reconciled_at: null, created_at: now, updated_at: now, ...overrides,
  };
}

/** Steps that find nothing to change; a stack in `crashing` gets a fetch output the machine cannot use (a bug: it crashes). */
function fakeSteps(calls: string[], crashing: Set<string>): StackSteps {
  const plan = { stackName: 's', project: 's', levels: [], actions: [], missingNetworks: [], missingVolumes: [], hasChanges: false };
  return {
    actors: {
      fetchSource: fromPromise(async ({ input }: { input: { stackId: string } }) => {
        calls.push(`${input.stackId}:fetch`);
        if (crashing.has(input.stackId)) return {};
        return { stack: stackRow(input.stackId), revision: { commit: 'c1' } };
      }),
      planChanges: fromPromise(async ({ input }: { input: { stack: StackRecord } }) => {
        calls.push(`${input.stack.id}:diff`);
        return { project: {}, plan, syncStatus: 'synced', healthStatus: 'healthy', driftDigest: 'x' };
      }),
      applyPlan: fromPromise(async () => ({})),
      verifyRollout: fromPromise(async () => ({ healthy: true })),
      rollBack: fromPromise(async () => undefined),
    },
  } as unknown as StackSteps;
}

function startSupervisor(crashing: Set<string>, rows: StackRecord[]) {
  const calls: string[] = [];
  const transitions: ObservedTransition[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const supervisor = new Supervisor({
    steps: fakeSteps(calls, crashing),
    slots: new DeploySlots(2),
    recorder: { record: (t: ObservedTransition) => transitions.push(t) } as unknown as TransitionRecorder,
    logger: silentLogger(),
    endDeployment: async () => {},
    currentInput: async (stackId) => (byId.get(stackId) ? stackInputFrom(byId.get(stackId)!) : undefined),
  });
  supervisor.start(rows.map((stack) => ({ stack, restore: null })));
  return { supervisor, calls, transitions, byId };
}

const until = (check: () => boolean, what: string, timeoutMs = 30_000) => eventually(async () => check(), what, timeoutMs);

describe('Supervisor', () => {
  test('events are routed to the stack they name and every transition is recorded in order', async () => {
    const { supervisor, calls, transitions } = startSupervisor(new Set(), [stackRow('a'), stackRow('b')]);
    supervisor.send('b', { type: 'SYNC' });
    await until(() => calls.length === 2 && supervisor.state('b')?.state === 'idle', 'stack b to cycle');
    assert.deepEqual(calls, ['b:fetch', 'b:diff']);
    const ofB = transitions.filter((t) => t.stackId === 'b').map((t) => `${t.from}>${t.to}`);
    assert.deepEqual(ofB, ['start>idle', 'idle>fetching', 'fetching>diffing', 'diffing>idle']);
    assert.equal(supervisor.state('a')?.state, 'idle');
    supervisor.stop();
  });

  test('a stack actor that keeps crashing is restarted with backoff, then parked as failed; the others go on', async () => {
    const { supervisor, calls } = startSupervisor(new Set(['crashy']), [stackRow('crashy', { reconcile_interval_seconds: 1 }), stackRow('calm')]);
    await until(() => supervisor.state('crashy')?.state === 'failed' && !supervisor.has('crashy'), 'crashy to be parked', 60_000);
    assert.match(supervisor.state('crashy')!.last_error!, /repeated crashes/);
    assert.equal(calls.filter((c) => c === 'crashy:fetch').length, MAX_RESTARTS + 1);
    // What the dashboard's overview shows of it.
    const figures = supervisor.figures();
    assert.equal(figures.restarts, MAX_RESTARTS);
    assert.deepEqual(figures.parked.map((p) => [p.stackId, p.stackName]), [['crashy', 'crashy']]);
    assert.equal(figures.actors, 1);
    assert.deepEqual(figures.deploySlots, { inUse: 0, limit: 2, waiting: 0 });
    supervisor.send('calm', { type: 'SYNC' });
    await until(() => calls.includes('calm:diff'), 'calm to keep working');
    supervisor.stop();
  });

  test('a crashed stack actor restarts with the stack as it is now: paused stays paused', async () => {
    const { supervisor, byId } = startSupervisor(new Set(['flaky']), [stackRow('flaky')]);
    byId.set('flaky', stackRow('flaky', { paused: true }));
    supervisor.send('flaky', { type: 'SYNC' });
    await until(() => supervisor.state('flaky')?.state === 'paused', 'the restarted actor to rest paused');
    supervisor.stop();
  });

  test('a removed stack gets no more events while the others go on', async () => {
    const { supervisor, calls } = startSupervisor(new Set(), [stackRow('gone'), stackRow('kept')]);
    supervisor.remove('gone');
    supervisor.send('gone', { type: 'SYNC' });
    supervisor.send('kept', { type: 'SYNC' });
    await until(() => calls.includes('kept:diff'), 'the other stack to cycle');
    assert.deepEqual(calls, ['kept:fetch', 'kept:diff']);
    assert.equal(supervisor.has('gone'), false);
    supervisor.stop();
  });

  test('a broadcast reaches every stack', async () => {
    const { supervisor, calls } = startSupervisor(new Set(), [stackRow('x'), stackRow('y')]);
    supervisor.broadcast({ type: 'SYNC' });
    await until(() => calls.includes('x:diff') && calls.includes('y:diff'), 'both stacks to cycle');
    supervisor.stop();
  });
});
