import SwaggerParser from '@apidevtools/swagger-parser';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiRouters, type ApiDeps } from '../../src/api/app.ts';
import type { ApiKeyAuthenticator } from '../../src/api/auth/api-keys.ts';
import { registeredRoutes } from '../../src/api/openapi/document.ts';
import { startTestApi, type TestApi } from '../support/api-app.ts';

// GET /api/v1/openapi.json: a valid OpenAPI document that lists every route the app serves,
// with request bodies generated from the zod schemas that validate them.

describe('the OpenAPI document', () => {
  let api: TestApi;
  let document: any;

  before(async () => {
    api = await startTestApi();
    const { status, body } = await api.request('GET', '/api/v1/openapi.json');
    assert.equal(status, 200);
    document = body;
  });

  after(async () => {
    await api?.close();
  });

  // The routers need no collaborators to be built; only their handlers use them.
  const routes = () => {
    const routers = apiRouters({} as ApiDeps, {} as ApiKeyAuthenticator);
    return registeredRoutes([...routers.raw, ...routers.json]);
  };

  test('validates as OpenAPI 3.1', async () => {
    const api = (await SwaggerParser.validate(structuredClone(document))) as { openapi?: string };
    assert.equal(api.openapi, '3.1.0');
  });

  test('lists every route the app serves', () => {
    const missing = routes().filter((r) => !document.paths[r.path]?.[r.method.toLowerCase()]);
    assert.deepEqual(missing, []);
  });

  test('documents every route it lists', () => {
    const undocumented = routes().filter((r) => document.paths[r.path][r.method.toLowerCase()].summary === 'undocumented route');
    assert.deepEqual(undocumented, []);
  });

  test('lists no route the app does not serve', () => {
    const served = new Set(routes().map((r) => `${r.method.toLowerCase()} ${r.path}`));
    const listed = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m} ${path}`));
    assert.deepEqual(listed.filter((entry) => !served.has(entry)), []);
  });

  test('the stack body comes from the create schema: fields, defaults, and no unknown fields', () => {
    const schema = document.paths['/api/v1/stacks'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(schema.required.sort(), ['name', 'repo_url']);
    assert.equal(schema.properties.compose_path.default, 'docker-compose.yaml');
    assert.equal(schema.additionalProperties, false);
  });

  test('routes under a key say so, public ones need none and webhooks a signature or else a key', () => {
    assert.deepEqual(document.components.securitySchemes.apiKey, { type: 'apiKey', in: 'header', name: 'X-API-KEY' });
    assert.deepEqual(document.paths['/health'].get.security, []);
    assert.deepEqual(document.paths['/api/v1/webhooks/{provider}'].post.security, [{}, { apiKey: [] }]);
    assert.equal(document.paths['/api/v1/webhooks/{provider}'].post['x-required-role'], 'operator');
    assert.equal(document.paths['/api/v1/stacks'].get.security, undefined);
  });

  test('the webhook provider is an enum of the supported providers', () => {
    const provider = document.paths['/api/v1/webhooks/{provider}'].post.parameters.find((p: { name: string }) => p.name === 'provider');
    assert.deepEqual(provider.schema.enum, ['github', 'gitlab', 'gitea', 'bitbucket', 'generic']);
  });

  test('needs an API key', async () => {
    assert.equal((await fetch(`${api.url}/api/v1/openapi.json`)).status, 401);
  });
});
