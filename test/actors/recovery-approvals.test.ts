import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { approvalOf, planRecovery } from '../../actors/recovery.ts';
import { openDatabase } from '../../persistence/database.ts';
import { DeploymentStore } from '../../persistence/deployment-store.ts';
import { StackStore } from '../../persistence/stack-store.ts';
import { silentLogger } from '../../src/logger.ts';
import { tempDir } from '../persistence/helpers.ts';
import { stackRecord } from '../support/stack-record.ts';

// After a restart, a plan awaiting approval is not unfinished work: the stack waits for it
// again. On a real SQLite file, as the daemon keeps it.

test('a restarted stack waits again for its newest awaiting deployment; older ones end skipped; unfinished ones are still recovered', async (t) => {
  const db = await openDatabase(join(await tempDir(t), 'accelero.db'));
  t.after(() => db.close());
  const stacks = new StackStore(db);
  const deployments = new DeploymentStore(db);
  const stack = stackRecord('gated', { requires_approval: true });
  const plain = stackRecord('plain');
  await stacks.insert(stack);
  await stacks.insert(plain);
  const change = [{ service: 'web', action: 'create', from: null, to: 'accelero-test/web:v1' }];
  const older = await deployments.awaitApproval({ stack, trigger: 'webhook', commit: 'c1', changes: change });
  await new Promise((resolve) => setTimeout(resolve, 5)); // started_at orders them
  const promised = await deployments.createPending(stack, 'manual');
  const newer = await deployments.awaitApproval({ stack, trigger: 'manual', commit: 'c2', changes: change, promisedId: promised.id });
  assert.equal(newer, promised.id, 'the promised deployment carries the plan');
  const interrupted = await deployments.begin(plain, 'manual', 'c9');

  const plans = await planRecovery({ deployments, logger: silentLogger() }, [stack, plain]);
  const gatedPlan = plans.find((p) => p.stack.id === stack.id)!;
  assert.deepEqual(gatedPlan.approval, { deploymentId: newer, commit: 'c2', trigger: 'manual' });
  assert.equal(gatedPlan.restore, null);
  assert.equal(plans.find((p) => p.stack.id === plain.id)!.restore?.deploymentId, interrupted);

  const waiting = (await deployments.get(newer))!;
  assert.equal(waiting.status, 'awaiting_approval');
  assert.deepEqual(waiting.changes, change);
  const replaced = (await deployments.get(older))!;
  assert.equal(replaced.status, 'skipped');
  assert.match(replaced.error_message ?? '', new RegExp(`replaced by deployment ${newer}`));
  assert.deepEqual((await deployments.listAwaitingApproval()).map((d) => d.id), [newer]);
  assert.deepEqual(await approvalOf({ deployments, logger: silentLogger() }, stack.id), { deploymentId: newer, commit: 'c2', trigger: 'manual' });
});
