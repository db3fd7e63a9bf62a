import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { ComposeError } from '../../src/errors.ts';
import { loadComposeProjectSync } from '../../src/compose/load.ts';
import { loadInline, writeProject } from './helpers.ts';

function env(compose: string, files: Record<string, string> = {}, environment: Record<string, string> = {}): unknown {
  return loadInline(`services:\n  web:\n    image: app\n${compose}`, files, { environment }).services.web.create.Config.Env;
}

test('list entries split at the first =', () => assert.deepEqual(env('    environment: ["A=b=c", "E="]\n'), ['A=b=c', 'E=']));
test('map values are stringified', () => assert.deepEqual(env('    environment: {N: 1, B: true, F: 0.5}\n'), ['B=true', 'F=0.5', 'N=1']));
test('a list key without value is resolved from the project environment', () => {
  assert.deepEqual(env('    environment: [A]\n', {}, { A: 'shell' }), ['A=shell']);
});
test('a map key with null is resolved from .env', () => assert.deepEqual(env('    environment: {A: null, B:}\n', { '.env': 'A=dot\n' }), ['A=dot', 'B']));
test('an unresolved key is sent bare', () => assert.deepEqual(env('    environment: [MISSING]\n'), ['MISSING']));
test('a list key with trailing white space is an error', () => assert.throws(() => env('    environment: ["A =1"]\n'), ComposeError));
test('env_file values are read and merged under environment', () => {
  assert.deepEqual(env('    env_file: app.env\n    environment: {B: override}\n', { 'app.env': 'A=1\nB=file\n' }), ['A=1', 'B=override']);
});
test('later env files win', () => {
  assert.deepEqual(env('    env_file: [a.env, b.env]\n', { 'a.env': 'A=a\nK=a\n', 'b.env': 'K=b\n' }), ['A=a', 'K=b']);
});
test('env_file values interpolate the project environment', () => {
  assert.deepEqual(env('    env_file: app.env\n', { 'app.env': 'URL=http://${HOST}\n' }, { HOST: 'h' }), ['URL=http://h']);
});
test('env_file values see the service environment values', () => {
  assert.deepEqual(env('    env_file: app.env\n    environment: {HOST: svc}\n', { 'app.env': 'URL=${HOST}\n' }), ['HOST=svc', 'URL=svc']);
});
test('an environment key without value keeps the env_file value', () => {
  assert.deepEqual(env('    env_file: app.env\n    environment: [A]\n', { 'app.env': 'A=file\n' }), ['A=file']);
});
test('a missing env_file is an error', () => assert.throws(() => env('    env_file: nope.env\n'), /env file nope.env not found/));
test('an optional missing env_file is skipped', () => {
  assert.deepEqual(env('    env_file: [{path: nope.env, required: false}]\n    environment: [A=1]\n'), ['A=1']);
});
test('format: raw takes values literally', () => {
  assert.deepEqual(env('    env_file: [{path: raw.env, format: raw}]\n', { 'raw.env': 'A="q" $X #c\n' }), ['A="q" $X #c']);
});
test('an env_file outside the repository is rejected', () => {
  assert.throws(() => env('    env_file: ../../etc/passwd\n'), /outside the repository/);
});
test('an env_file symlink leading outside the repository is rejected', () => {
  const dir = writeProject({ 'compose.yaml': 'services:\n  web:\n    image: app\n    env_file: link.env\n' });
  symlinkSync('/etc/hostname', `${dir}/link.env`);
  assert.throws(() => loadComposeProjectSync({ projectDir: dir, environment: {} }), /resolves outside the repository/);
});
test('env_file relative paths resolve against the compose file directory', () => {
  const dir = writeProject({ 'deploy/compose.yaml': 'services:\n  web:\n    image: app\n    env_file: conf/app.env\n', 'deploy/conf/app.env': 'A=1\n' });
  const project = loadComposeProjectSync({ projectDir: dir, composePath: 'deploy/compose.yaml', environment: {} });
  assert.deepEqual(project.services.web.create.Config.Env, ['A=1']);
});
test('environment is printed as a map of final strings, not re-escaped', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    environment: {P: "a$$b\\"c"}\n');
  assert.deepEqual(project.services.web.model.environment, { P: 'a$b"c' });
});
test('an unquoted leading-zero number is octal, as docker compose reads it', () => {
  assert.deepEqual(env('    environment: {PIN: 0123, QUOTED: "0123"}\n'), ['PIN=83', 'QUOTED=0123']);
});
test('environment: null means no environment, as compose-go reads it', () => assert.equal(env('    environment:\n'), undefined));
test('an env_file syntax error names the service, the file and the line', () => {
  assert.throws(() => env('    env_file: app.env\n', { 'app.env': 'OK=1\nBAD KEY=2\n' }), {
    message: 'service "web": app.env: line 2: key cannot contain a space: "BAD KEY"',
  });
});
