import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StackImage } from '../../src/docker/index.ts';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { fakeEngine } from '../support/fake-engine.ts';
import { createStack } from './helpers.ts';

// GET /api/v1/images, /volumes, /networks: which stacks' objects a caller may see.

const image = (stack: string): StackImage => ({ id: `sha256:${stack}`, tags: [`${stack}:latest`], sizeBytes: 1, createdAt: '2026-01-01T00:00:00.000Z', stack, usedBy: [`${stack}-web-1`] });

describe('images, volumes and networks through the API', () => {
  let api: TestApi;
  let limitedKey = '';

  before(async () => {
    const engine = fakeEngine({ images: async (stacks) => ['res-a', 'res-b', 'gone'].filter((s) => !stacks || stacks.includes(s)).map(image) });
    api = await startTestApi({ engine });
    await createStack(api, 'res-a');
    await createStack(api, 'res-b');
    await api.core.settled();
    limitedKey = (await api.request('POST', '/api/v1/apikeys', { name: 'res viewer', role: 'viewer', stacks: ['res-b'] })).body.key;
  });

  after(async () => {
    await api?.close();
  });

  test('an unlimited key sees every stack, also what a deleted stack left behind', async () => {
    const { status, body } = await api.request('GET', '/api/v1/images');
    assert.equal(status, 200);
    assert.deepEqual(body.map((i: { stack: string }) => i.stack), ['res-a', 'res-b', 'gone']);
    assert.deepEqual(body[0], { id: 'sha256:res-a', tags: ['res-a:latest'], size_bytes: 1, created_at: '2026-01-01T00:00:00.000Z', stack: 'res-a', used_by: ['res-a-web-1'] });
  });

  test('a key limited to one stack sees only that stack', async () => {
    const { body } = await api.request('GET', '/api/v1/images', undefined, { 'x-api-key': limitedKey });
    assert.deepEqual(body.map((i: { stack: string }) => i.stack), ['res-b']);
  });

  test('?stack= narrows to one stack by id or name; a stack the key may not see answers 404', async () => {
    const stackA = (await api.request('GET', '/api/v1/stacks/res-a')).body.id;
    assert.deepEqual((await api.request('GET', `/api/v1/images?stack=${stackA}`)).body.map((i: { stack: string }) => i.stack), ['res-a']);
    assert.equal((await api.request('GET', '/api/v1/images?stack=res-a', undefined, { 'x-api-key': limitedKey })).status, 404);
    assert.equal((await api.request('GET', '/api/v1/volumes?stack=nope')).status, 404);
  });

  test('an unknown query parameter is refused, naming it', async () => {
    const { status, body } = await api.request('GET', '/api/v1/networks?stacks=res-a');
    assert.equal(status, 400);
    assert.match(JSON.stringify(body), /stacks/);
  });
});
