import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../support/api-app.ts';

// Bad input answers with a JSON error naming the problem and changes nothing (in-process app).

describe('stack API input handling', () => {
  let api: TestApi;
  const valid = { name: 'acct-api-dup', repo_url: '/nonexistent/repo', auto_deploy: false, reconcile_interval_seconds: 0 };

  before(async () => {
    api = await startTestApi();
  });

  after(async () => {
    await api?.close();
  });

  const stackNames = async () => (await api.request('GET', '/api/v1/stacks')).body.map((s: { name: string }) => s.name);

  test('healthz answers without a key', async () => {
    const response = await fetch(`${api.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('a request without X-API-KEY is a 401 JSON error', async () => {
    const response = await fetch(`${api.url}/api/v1/stacks`);
    assert.equal(response.status, 401);
    assert.equal((await response.json()).code, 'unauthorized');
  });

  test('a wrong X-API-KEY is a 403 JSON error', async () => {
    const { status, body } = await api.request('GET', '/api/v1/stacks', undefined, { 'x-api-key': 'acc_wrong' });
    assert.equal(status, 403);
    assert.equal(body.code, 'forbidden');
  });

  test('a stack without repo_url is a 400 that names repo_url', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks', { name: 'acct-api-norepo' });
    assert.equal(status, 400);
    assert.equal(body.code, 'invalid_input');
    assert.match(body.error, /repo_url/);
    assert.equal(body.field, 'repo_url');
    assert.deepEqual(await stackNames(), []);
  });

  test('an unknown field is a 400 that names it', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks', { ...valid, name: 'acct-api-typo', auto_deplyo: true });
    assert.equal(status, 400);
    assert.match(body.error, /auto_deplyo/);
    assert.equal(body.field, 'auto_deplyo');
  });

  test('a reconcile interval below 5 seconds is a 400 that names the field', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks', { ...valid, name: 'acct-api-fast', reconcile_interval_seconds: 2 });
    assert.equal(status, 400);
    assert.match(body.error, /reconcile_interval_seconds/);
  });

  test('a repo_url with credentials in it is a 400 that points to repo_token, and the token is not echoed', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks', { ...valid, name: 'acct-api-creds', repo_url: 'https://deployer:s3cret-tok@git.example.com/app.git' });
    assert.equal(status, 400);
    assert.match(body.error, /repo_url/);
    assert.match(body.error, /repo_token/);
    assert.doesNotMatch(JSON.stringify(body), /s3cret-tok/);
  });

  test('malformed JSON is a 400 JSON error', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks', '{"name": ');
    assert.equal(status, 400);
    assert.equal(typeof body.error, 'string');
  });

  test('a body over 1 MiB is a 413 JSON error', async () => {
    const { status, body } = await api.request('POST', '/api/v1/stacks', { ...valid, repo_url: 'x'.repeat(1_100_000) });
    assert.equal(status, 413);
    assert.equal(body.code, 'payload_too_large');
  });

  test('an unknown stack is a 404', async () => {
    for (const [method, path] of [['GET', '/api/v1/stacks/nope'], ['POST', '/api/v1/stacks/nope/deploy'], ['GET', '/api/v1/stacks/nope/deployments'], ['DELETE', '/api/v1/stacks/nope']] as const) {
      const { status, body } = await api.request(method, path);
      assert.equal(status, 404, `${method} ${path}`);
      assert.equal(body.code, 'not_found');
    }
  });

  test('a duplicate name is a 409 and leaves the first stack as it was', async () => {
    const first = await api.request('POST', '/api/v1/stacks', valid);
    assert.equal(first.status, 201);
    const second = await api.request('POST', '/api/v1/stacks', { ...valid, repo_url: '/other' });
    assert.equal(second.status, 409);
    assert.equal(second.body.code, 'conflict');
    const stored = await api.request('GET', `/api/v1/stacks/${valid.name}`);
    assert.equal(stored.body.repo_url, '/nonexistent/repo');
    assert.deepEqual(await stackNames(), [valid.name]);
  });

  test('a rename is a 400 that names the field and leaves the stack as it was', async () => {
    const { status, body } = await api.request('PUT', `/api/v1/stacks/${valid.name}`, { name: 'acct-api-renamed', repo_branch: 'next' });
    assert.deepEqual([status, body.code, body.field], [400, 'invalid_input', 'name']);
    assert.match(body.error, /labelled/);
    const stored = await api.request('GET', `/api/v1/stacks/${valid.name}`);
    assert.equal(stored.body.repo_branch, 'main');
    assert.deepEqual(await stackNames(), [valid.name]);
  });

  test('a stack is found by id as well as by name', async () => {
    const byName = await api.request('GET', `/api/v1/stacks/${valid.name}`);
    const byId = await api.request('GET', `/api/v1/stacks/${byName.body.id}`);
    assert.equal(byId.status, 200);
    assert.equal(byId.body.name, valid.name);
  });
});
