import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '../../persistence/database.ts';
import { WebhookDeliveryStore } from '../../persistence/webhook-delivery-store.ts';
import { hasRole } from '../../src/api/auth/roles.ts';
import { koaRouteOf } from '../../src/api/routes/route.ts';
import { DeliveryLog } from '../../src/api/webhooks/replay.ts';
import { verifyHmacSha256, verifyToken } from '../../src/api/webhooks/signatures.ts';

const body = Buffer.from('{"ref":"refs/heads/main"}');
const hex = createHmac('sha256', 'secret').update(body).digest('hex');

describe('webhook signatures', () => {
  test('sha256=<hex> of the body with the secret is valid', () => {
    assert.equal(verifyHmacSha256(`sha256=${hex}`, body, 'secret'), 'valid');
  });

  test('bare hex (Gitea) is valid, in either case', () => {
    assert.equal(verifyHmacSha256(hex.toUpperCase(), body, 'secret'), 'valid');
  });

  test('a signature of another body is invalid', () => {
    assert.equal(verifyHmacSha256(`sha256=${hex}`, Buffer.from('{}'), 'secret'), 'invalid');
  });

  test('a truncated or non-hex signature is invalid', () => {
    assert.equal(verifyHmacSha256(`sha256=${hex.slice(0, 40)}`, body, 'secret'), 'invalid');
    assert.equal(verifyHmacSha256('sha256=zz', body, 'secret'), 'invalid');
  });

  test('no header is missing', () => {
    assert.equal(verifyHmacSha256('', body, 'secret'), 'missing');
    assert.equal(verifyToken('', 'secret'), 'missing');
  });

  test('a GitLab token must equal the secret exactly', () => {
    assert.deepEqual([verifyToken('secret', 'secret'), verifyToken('secret ', 'secret'), verifyToken('Secret', 'secret')], ['valid', 'invalid', 'invalid']);
  });
});

describe('delivery replay log', () => {
  let dir: string;
  let db: Database;
  let log: DeliveryLog;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accelero-deliveries-'));
    db = await openDatabase(join(dir, 'accelero.db'));
    log = new DeliveryLog(new WebhookDeliveryStore(db), 1000);
  });

  after(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('the second delivery of an id is a replay, for the same provider only', async () => {
    assert.deepEqual([await log.isReplay('github', 'a', 0), await log.isReplay('github', 'a', 10), await log.isReplay('gitea', 'a', 10)], [false, true, false]);
  });

  test('an id is forgotten after the time to live', async () => {
    await log.isReplay('github', 'b', 0);
    assert.equal(await log.isReplay('github', 'b', 1001), false);
  });

  test('an id outlives the process: a log on the same database still knows it', async () => {
    await log.isReplay('github', 'c', 0);
    assert.equal(await new DeliveryLog(new WebhookDeliveryStore(db), 1000).isReplay('github', 'c', 5), true);
  });
});

describe('roles', () => {
  test('a route key gives the method and the Koa path the route is registered with', () => {
    assert.deepEqual(koaRouteOf('GET /api/v1/stacks/{id}/deployments/{deploymentId}'), { method: 'GET', path: '/api/v1/stacks/:id/deployments/:deploymentId' });
    assert.throws(() => koaRouteOf('FETCH /x'), /METHOD \/path/);
  });

  test('roles are ordered viewer < operator < admin', () => {
    const caller = (role: 'viewer' | 'operator' | 'admin') => ({ name: 'x', keyId: null, role, stacks: null });
    assert.deepEqual([hasRole(caller('operator'), 'viewer'), hasRole(caller('operator'), 'admin'), hasRole(caller('admin'), 'operator')], [true, false, true]);
  });
});
