import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/compose/config-hash.ts';
import { loadInline } from './helpers.ts';

const BASE = {
  image: 'app:1',
  command: '["serve", "--port", "80"]',
  environment: '{A: "1", B: "2"}',
  ports: '["8080:80"]',
  labels: '{team: web}',
  healthcheck: '{test: "curl -f x", interval: 10s}',
  mem_limit: '256m',
  volumes: '["/srv/conf:/conf:ro"]',
};

function hashOf(fields: Record<string, string>, environment: Record<string, string> = {}): string {
  const body = Object.entries(fields).map(([key, value]) => `    ${key}: ${value}\n`).join('');
  return loadInline(`services:\n  web:\n${body}`, {}, { environment }).services.web.configHash;
}

test('canonical JSON sorts keys at every depth', () => assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } }), '{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}'));
test('canonical JSON drops undefined values', () => assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}'));
test('the hash is a sha256 hex string', () => assert.match(hashOf(BASE), /^[0-9a-f]{64}$/));
test('the hash is stable across runs', () => assert.equal(hashOf(BASE), hashOf(BASE)));
test('the hash does not depend on YAML key order', () => {
  const reordered = Object.fromEntries(Object.entries(BASE).reverse());
  assert.equal(hashOf({ ...reordered, environment: '{B: "2", A: "1"}' }), hashOf(BASE));
});
test('the hash does not change with replicas, depends_on, profiles or pull_policy', () => {
  const compose = (extra: string): string =>
    loadInline(`services:\n  db:\n    image: db\n  web:\n    image: app\n${extra}`, {}, { profiles: ['p'] }).services.web.configHash;
  const plain = compose('');
  assert.equal(compose('    deploy: {replicas: 3}\n'), plain);
  assert.equal(compose('    depends_on: [db]\n'), plain);
  assert.equal(compose('    profiles: [p]\n'), plain);
  assert.equal(compose('    pull_policy: always\n'), plain);
});
for (const [field, value] of [
  ['image', 'app:2'],
  ['command', '["serve"]'],
  ['environment', '{A: "1", B: "3"}'],
  ['ports', '["8081:80"]'],
  ['labels', '{team: api}'],
  ['healthcheck', '{test: "curl -f x", interval: 20s}'],
  ['mem_limit', '512m'],
  ['volumes', '["/srv/conf:/conf:rw"]'],
]) {
  test(`the hash changes when ${field} changes`, () => assert.notEqual(hashOf({ ...BASE, [field]: value }), hashOf(BASE)));
}
test('the hash changes when an interpolated variable changes', () => {
  const fields = { ...BASE, image: '"app:${TAG}"' };
  assert.notEqual(hashOf(fields, { TAG: '1' }), hashOf(fields, { TAG: '2' }));
});
test('the hash changes when container_name changes', () => {
  assert.notEqual(hashOf({ ...BASE, container_name: 'a' }), hashOf({ ...BASE, container_name: 'b' }));
});
test('a relative bind hashes its absolute source, so another export directory is a change', () => {
  assert.notEqual(hashOf({ ...BASE, volumes: '["./conf:/conf"]' }), hashOf({ ...BASE, volumes: '["./conf:/conf"]' }));
});
