import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../persistence/database.ts';
import { DriftStore } from '../../persistence/drift-store.ts';
import { missing, tempDir } from './helpers.ts';

test('drift reports keep the newest few per stack, each stack on its own', async (t) => {
  const db = await openDatabase(join(await tempDir(t), 'accelero.db'));
  t.after(() => db.close());
  const drift = new DriftStore(db, 3);
  for (let i = 0; i < 5; i += 1) {
    await drift.record({ stack_id: 'a', checked_at: `2026-01-01T00:00:0${i}.000Z`, has_drift: i % 2 === 0, drifts: [missing(`web${i}`)] });
  }
  await drift.record({ stack_id: 'b', checked_at: '2026-01-01T00:00:00.000Z', has_drift: false, drifts: [] });
  const kept = await db.dataSource.getRepository('DriftReport').find({ where: { stack_id: 'a' }, order: { id: 'ASC' } });
  assert.deepEqual(kept.map((r) => r.checked_at), [2, 3, 4].map((i) => `2026-01-01T00:00:0${i}.000Z`));
  assert.deepEqual((await drift.latest('a'))?.drifts, [missing('web4')]);
  assert.equal((await drift.latest('b'))?.has_drift, false);
});
