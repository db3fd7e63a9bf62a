import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { coalescedSettlement, joinsCurrentCycle, mergeRequests, publicState } from '../../machines/stack.rules.ts';

describe('mergeRequests', () => {
  test('a manual deploy outranks a webhook and keeps deploy=true', () => {
    const merged = mergeRequests({ trigger: 'webhook', deploy: false }, { trigger: 'manual', deploy: true, deploymentId: 'd2' });
    assert.deepEqual(merged, { trigger: 'manual', deploy: true, deploymentId: 'd2' });
  });

  test('a later reconcile does not weaken a waiting deploy', () => {
    const merged = mergeRequests({ trigger: 'manual', deploy: true, deploymentId: 'd1' }, { trigger: 'reconcile', deploy: false });
    assert.deepEqual(merged, { trigger: 'manual', deploy: true, deploymentId: 'd1' });
  });
});

describe('coalescedSettlement', () => {
  test('names the deployment that carries the work of the one left over', () => {
    const end = coalescedSettlement({ trigger: 'webhook', deploy: true, deploymentId: 'a' }, { trigger: 'rollback', deploy: true, deploymentId: 'b' });
    assert.equal(end?.deploymentId, 'a');
    assert.equal(end?.status, 'skipped');
    assert.match(end!.message, /coalesced into deployment b/);
  });

  test('nothing is left over when only one side was promised', () => {
    assert.equal(coalescedSettlement({ trigger: 'reconcile', deploy: true }, { trigger: 'manual', deploy: true, deploymentId: 'b' }), undefined);
    assert.equal(coalescedSettlement(null, { trigger: 'manual', deploy: true, deploymentId: 'b' }), undefined);
  });
});

describe('joinsCurrentCycle', () => {
  test('a deploy joins a cycle under way, a rollback cycle is never joined', () => {
    assert.equal(joinsCurrentCycle({ request: { trigger: 'reconcile', deploy: false } }, { type: 'DEPLOY' }), true);
    assert.equal(joinsCurrentCycle({ request: { trigger: 'rollback', deploy: true } }, { type: 'DEPLOY' }), false);
    assert.equal(joinsCurrentCycle({ request: { trigger: 'reconcile', deploy: false } }, { type: 'WEBHOOK_PUSH' }), false);
  });
});

describe('publicState', () => {
  test('inner states of the rollout show as the state an operator knows', () => {
    assert.equal(publicState('idle'), 'idle');
    assert.equal(publicState({ rollout: { deploying: 'waiting_for_slot' } }), 'deploying');
    assert.equal(publicState({ rollout: { deploying: 'applying' } }), 'deploying');
    assert.equal(publicState({ rollout: 'verifying' }), 'verifying');
    assert.equal(publicState({ rollout: 'rolling_back' }), 'rolling_back');
  });
});
