import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sqlite3 from 'sqlite3';
import { startTestApi, type TestApi } from '../support/api-app.ts';
import { brokenBodies, MALFORMED_JSON, PATH_TRICKS, QUERY_TRICKS, WRONG_TOP_LEVEL } from './fuzz-inputs.ts';
import { createApiKey, createStack } from './helpers.ts';

// Malformed JSON, wrong types, huge strings, unicode and path tricks at every route of the
// OpenAPI document, with the admin key: always a 4xx JSON error, never a 500, and the stacks,
// deployments and API keys in the database stay exactly as they were.

interface Probe { method: string; path: string; body?: string; headers?: Record<string, string> }

const TARGET = 'fuzz-target';
const VALID_BASES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/stacks': { name: 'fuzz-new', repo_url: '/nonexistent/fuzz-new', auto_deploy: false, reconcile_interval_seconds: 0 },
  'PUT /api/v1/stacks/{id}': {},
  'POST /api/v1/stacks/{id}/rollback': {},
  'POST /api/v1/apikeys': { name: 'fuzz key', role: 'viewer' },
  'POST /webhook': { stack: TARGET },
  'POST /api/v1/webhook': { stack: TARGET },
};
const PROVIDER_HEADERS: Record<string, Record<string, string>> = {
  github: { 'x-github-event': 'push' }, gitea: { 'x-gitea-event': 'push' }, gitlab: { 'x-gitlab-event': 'Push Hook' },
  bitbucket: { 'x-event-key': 'repo:push' }, generic: {},
};
const PROVIDER_BODIES = [
  { ref: 12345, repository: {} }, { ref: 'refs/heads/main', repository: 'x' }, { ref: 'refs/heads/main', repository: { clone_url: 5 } },
  { object_kind: 'push', ref: ['x'] }, { repository: {}, push: { changes: 'x' } }, { repo_url: 7, ref: 'main' }, {},
];

describe('fuzzing every route', () => {
  let api: TestApi;
  let openapi: any;
  let before_: string;

  before(async () => {
    api = await startTestApi();
    await createStack(api, TARGET);
    await createApiKey(api, 'fuzz existing', 'operator', [TARGET]);
    openapi = (await api.request('GET', '/api/v1/openapi.json')).body;
    before_ = await databaseFingerprint(api);
  });

  after(async () => {
    await api?.close();
  });

  const routes = () => Object.entries(openapi.paths).flatMap(([path, ops]) =>
    Object.entries(ops as Record<string, any>).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));

  test('every route answers every hostile input with a 4xx JSON error', async () => {
    const probes = routes().flatMap(({ method, path, op }) => probesFor(method, path, op));
    assert.ok(probes.length > 500, `only ${probes.length} probes`);
    const failures: string[] = [];
    for (const probe of probes) {
      const problem = await send(api, probe);
      if (problem) failures.push(problem);
    }
    assert.deepEqual(failures.slice(0, 20), []);
  });

  test('the stacks, deployments and API keys are unchanged afterwards', async () => {
    assert.equal(await databaseFingerprint(api), before_);
  });

  test('no request was answered with an internal error', () => {
    const lines = api.logLines().filter((line) => line.msg === 'request');
    assert.ok(lines.length > 500, `${lines.length} request lines`);
    assert.deepEqual(lines.filter((line) => Number(line.status) >= 500), []);
  });
});

function probesFor(method: string, path: string, op: any): Probe[] {
  const probes: Probe[] = [];
  const key = `${method} ${path}`;
  for (const trick of PATH_TRICKS) {
    if (path.includes('{')) probes.push({ method, path: path.replace(/\{[^}]+\}/g, trick), ...(method === 'GET' ? {} : { body: '{}', headers: json }) });
  }
  if (op.parameters?.some((p: { in: string }) => p.in === 'query')) {
    const real = path.replace('{id}', TARGET).replace(/\{[^}]+\}/g, 'nope');
    for (const query of QUERY_TRICKS) probes.push({ method, path: `${real}?${query}` });
  }
  if (path === '/api/v1/webhooks/{provider}') return [...probes, ...providerProbes()];
  const base = VALID_BASES[key];
  if (!base) return probes;
  const real = path.replace('{id}', TARGET);
  const schema = op.requestBody.content['application/json'].schema;
  for (const body of [...MALFORMED_JSON, ...WRONG_TOP_LEVEL, 'x'.repeat(1_100_000)]) probes.push({ method, path: real, body, headers: json });
  for (const body of brokenBodies(base, schema)) probes.push({ method, path: real, body, headers: json });
  return probes;
}

function providerProbes(): Probe[] {
  const probes: Probe[] = [];
  for (const [provider, headers] of Object.entries(PROVIDER_HEADERS)) {
    const path = `/api/v1/webhooks/${provider}`;
    for (const body of [...MALFORMED_JSON, ...WRONG_TOP_LEVEL, ...PROVIDER_BODIES.map((b) => JSON.stringify(b))]) {
      probes.push({ method: 'POST', path, body, headers: { ...json, ...headers } });
    }
    probes.push({ method: 'POST', path, body: '{}', headers: { 'content-type': 'text/xml', ...headers } });
  }
  return probes;
}

const json = { 'content-type': 'application/json' };

/** Sends one probe; returns a description of what was wrong with the answer, if anything. */
async function send(api: TestApi, probe: Probe): Promise<string | undefined> {
  const response = await fetch(api.url + probe.path, {
    method: probe.method, body: probe.body, headers: { 'x-api-key': api.apiKey, ...probe.headers },
  });
  const text = await response.text();
  const where = `${probe.method} ${probe.path.slice(0, 80)} ${String(probe.body).slice(0, 80)}`;
  if (response.status < 400 || response.status >= 500) return `${where} → ${response.status} ${text.slice(0, 200)}`;
  try {
    const body = JSON.parse(text);
    if (typeof body.error !== 'string' || typeof body.code !== 'string') return `${where} → not {error, code}: ${text.slice(0, 200)}`;
  } catch {
    return `${where} → not JSON: ${text.slice(0, 200)}`;
  }
  return undefined;
}

/** The API-owned rows (stack settings, deployments, keys), read straight from SQLite. */
async function databaseFingerprint(api: TestApi): Promise<string> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle = new sqlite3.Database(api.core.databasePath, sqlite3.OPEN_READONLY, (error) => (error ? reject(error) : resolve(handle)));
  });
  const all = (sql: string) => new Promise<unknown[]>((resolve, reject) => db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows))));
  try {
    const stacks = await all(`SELECT id, name, repo_url, repo_branch, repo_ref, compose_path, service_filter, auto_deploy,
      reconcile_interval_seconds, repo_username, repo_token_sealed, repo_ssh_key_sealed, docker_registry, docker_username,
      docker_password_sealed, paused, created_at, updated_at FROM stacks ORDER BY id`);
    const deployments = await all('SELECT id, stack_id, trigger FROM deployments ORDER BY id');
    const keys = await all('SELECT id, name, key_hash, role, stacks, created_at FROM api_keys ORDER BY id');
    return JSON.stringify({ stacks, deployments, keys });
  } finally {
    db.close();
  }
}
