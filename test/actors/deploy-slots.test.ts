import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeploySlots } from '../../actors/deploy-slots.ts';

test('a stack waits for a deploy slot while the limit is reached and gets it on release', async () => {
  const slots = new DeploySlots(1);
  await slots.acquire('a');
  let granted = false;
  const waiting = slots.acquire('b').then(() => (granted = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(granted, false);
  slots.release('a');
  await waiting;
  assert.equal(granted, true);
  assert.equal(slots.inUse, 1);
});

test('releasing twice, or a stack that holds nothing, frees no extra slot', async () => {
  const slots = new DeploySlots(1);
  await slots.acquire('a');
  slots.release('a');
  slots.release('a');
  slots.release('never');
  await slots.acquire('b');
  let third = false;
  void slots.acquire('c').then(() => (third = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(third, false);
});

test('a stack that already holds a slot does not take a second one', async () => {
  const slots = new DeploySlots(2);
  await slots.acquire('a');
  await slots.acquire('a');
  assert.equal(slots.inUse, 1);
});
