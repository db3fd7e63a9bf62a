import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInline } from './helpers.ts';

function mounts(service: string, topLevel: string): { dir: string; mounts: unknown; binds: unknown } {
  const project = loadInline(`services:\n  web:\n    image: app\n${service}${topLevel}`);
  return { dir: project.workingDir, mounts: project.services.web.create.HostConfig.Mounts, binds: project.services.web.create.HostConfig.Binds };
}

test('a file secret is mounted read-only under /run/secrets', () => {
  const result = mounts('    secrets: [db_password]\n', 'secrets:\n  db_password: {file: ./secrets/db.txt}\n');
  assert.deepEqual(result.mounts, [{ Type: 'bind', Source: `${result.dir}/secrets/db.txt`, Target: '/run/secrets/db_password', ReadOnly: true }]);
  assert.equal(result.binds, undefined);
});
test('a relative secret target is placed under /run/secrets', () => {
  const result = mounts('    secrets: [{source: token, target: api_token}]\n', 'secrets:\n  token: {file: /etc/accelero/token}\n');
  assert.deepEqual(result.mounts, [{ Type: 'bind', Source: '/etc/accelero/token', Target: '/run/secrets/api_token', ReadOnly: true }]);
});
test('an absolute secret target is kept', () => {
  const result = mounts('    secrets: [{source: token, target: /etc/token}]\n', 'secrets:\n  token: {file: /srv/token}\n');
  assert.deepEqual(result.mounts, [{ Type: 'bind', Source: '/srv/token', Target: '/etc/token', ReadOnly: true }]);
});
test('a file config is mounted at /<name> by default', () => {
  const result = mounts('    configs: [nginx.conf]\n', 'configs:\n  nginx.conf: {file: ./nginx.conf}\n');
  assert.deepEqual(result.mounts, [{ Type: 'bind', Source: `${result.dir}/nginx.conf`, Target: '/nginx.conf', ReadOnly: true }]);
});
test('uid, gid and mode are ignored with a warning', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    secrets: [{source: s, mode: 0400}]\nsecrets:\n  s: {file: /s}\n');
  assert.match(project.warnings.join('\n'), /mode is ignored/);
});
test('an undeclared secret is an error naming it', () => {
  assert.throws(() => mounts('    secrets: [nope]\n', ''), /refers to undefined secret nope/);
});
test('environment secrets are rejected, not dropped', () => {
  assert.throws(() => mounts('    secrets: [s]\n', 'secrets:\n  s: {environment: TOKEN}\n'), /"environment" secrets are not supported/);
});
test('content configs are rejected, not dropped', () => {
  assert.throws(() => mounts('    configs: [c]\n', 'configs:\n  c: {content: hello}\n'), /"content" configs are not supported/);
});
test('external secrets are rejected', () => {
  assert.throws(() => mounts('    secrets: [s]\n', 'secrets:\n  s: {external: true}\n'), /"external" secrets are not supported/);
});
test('the secret mounts change the config hash', () => {
  const one = loadInline('services:\n  web:\n    image: app\n    secrets: [s]\nsecrets:\n  s: {file: /a}\n').services.web.configHash;
  const two = loadInline('services:\n  web:\n    image: app\n    secrets: [s]\nsecrets:\n  s: {file: /b}\n').services.web.configHash;
  assert.notEqual(one, two);
});
test('secrets are printed in long form', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    secrets: [s]\nsecrets:\n  s: {file: /a}\n');
  assert.deepEqual(project.services.web.model.secrets, [{ source: 's', target: '/run/secrets/s' }]);
});
