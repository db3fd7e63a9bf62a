import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { createStack } from './helpers.ts';

// GET /status, the Go Accelero's summary of every stack.

describe('GET /status', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi();
    await createStack(api, 'status-one');
    await createStack(api, 'status-two');
    await api.core.settled();
  });

  after(async () => {
    await api?.close();
  });

  test('lists each stack with its status, last deploy time and commit, and the total', async () => {
    const { status, body } = await api.request('GET', '/status');
    assert.equal(status, 200);
    assert.equal(body.total, 2);
    assert.deepEqual(body.stacks.map((s: { name: string }) => s.name).sort(), ['status-one', 'status-two']);
    for (const stack of body.stacks) {
      assert.deepEqual(Object.keys(stack).sort(), ['git_commit', 'id', 'last_deployed_at', 'name', 'status']);
      assert.equal(typeof stack.status, 'string');
    }
  });

  test('a key limited to one stack sees only that one', async () => {
    const { body: created } = await api.request('POST', '/api/v1/apikeys', { name: 'status viewer', role: 'viewer', stacks: ['status-two'] });
    const { status, body } = await api.request('GET', '/status', undefined, { 'x-api-key': created.key });
    assert.equal(status, 200);
    assert.deepEqual([body.total, body.stacks.map((s: { name: string }) => s.name)], [1, ['status-two']]);
  });

  test('without a key the answer is 401', async () => {
    const response = await fetch(`${api.url}/status`);
    assert.equal(response.status, 401);
  });
});
