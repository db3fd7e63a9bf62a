import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InterpolationSyntaxError, RequiredVariableError } from '../../src/compose/errors.ts';
import { loadInline } from './helpers.ts';

test('values are interpolated at any depth, list items included', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    environment: ["A=${X}"]\n    labels: {deep: "${X}"}\n', {}, { environment: { X: 'x' } });
  assert.deepEqual(project.services.web.create.Config.Env, ['A=x']);
  assert.deepEqual(project.services.web.create.Config.Labels, { deep: 'x' });
});

test('map keys are never interpolated', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    labels: {"$X": v}\n', {}, { environment: { X: 'x' } });
  assert.deepEqual(project.services.web.create.Config.Labels, { $X: 'v' });
});

test('interpolation runs on parsed values, so a value cannot inject YAML', () => {
  const project = loadInline('services:\n  web:\n    image: "${IMG}"\n', {}, { environment: { IMG: 'a\n    privileged: true' } });
  assert.equal(project.services.web.image, 'a\n    privileged: true');
  assert.equal(project.services.web.create.HostConfig.Privileged, undefined);
});

test('the process environment wins over .env', () => {
  const project = loadInline('services:\n  web:\n    image: "app:${TAG}"\n', { '.env': 'TAG=fromfile\n' }, { environment: { TAG: 'fromshell' } });
  assert.equal(project.services.web.image, 'app:fromshell');
});

test('.env supplies variables the process does not have', () => {
  const project = loadInline('services:\n  web:\n    image: "app:${TAG}"\n', { '.env': 'TAG=fromfile\n' });
  assert.equal(project.services.web.image, 'app:fromfile');
});

test('.env values interpolate with the process environment', () => {
  const project = loadInline('services:\n  web:\n    image: "${IMAGE}"\n', { '.env': 'IMAGE=${REGISTRY}/app\n' }, { environment: { REGISTRY: 'reg.local' } });
  assert.equal(project.services.web.image, 'reg.local/app');
});

test('numbers and booleans from variables are cast at typed fields', () => {
  const compose = 'services:\n  web:\n    image: app\n    privileged: "${P}"\n    deploy: {replicas: "${N}"}\n    ports: [{target: "${T}"}]\n';
  const project = loadInline(compose, {}, { environment: { P: 'TRUE', N: '3', T: '80' } });
  assert.equal(project.services.web.create.HostConfig.Privileged, true);
  assert.equal(project.services.web.replicas, 3);
  assert.deepEqual(Object.keys(project.services.web.create.Config.ExposedPorts as object), ['80/tcp']);
});

test('an invalid expression names the file, service and field and quotes the text', () => {
  assert.throws(
    () => loadInline('services:\n  web:\n    image: "nginx:${TAG"\n'),
    (error: unknown) =>
      error instanceof InterpolationSyntaxError &&
      error.service === 'web' &&
      error.field === 'image' &&
      error.file === 'compose.yaml' &&
      error.message.includes('services.web.image') &&
      error.message.includes('"nginx:${TAG"'),
  );
});

test('a missing required variable names the path and carries the message', () => {
  assert.throws(
    () => loadInline('services:\n  web:\n    image: app\n    environment: ["DB=${DB_URL:?set DB_URL}"]\n'),
    (error: unknown) =>
      error instanceof RequiredVariableError &&
      error.service === 'web' &&
      error.message.includes('services.web.environment.[]') &&
      error.message.includes('required variable DB_URL is missing a value: set DB_URL'),
  );
});

test('a block scalar with a newline inside ${…} is invalid', () => {
  assert.throws(() => loadInline('services:\n  web:\n    image: app\n    command: |\n      ${A:-one\n      two}\n', {}, { environment: { A: 'a' } }), InterpolationSyntaxError);
});

test('x- extensions are interpolated too', () => {
  assert.throws(() => loadInline('x-common: "${"\nservices:\n  web:\n    image: app\n'), InterpolationSyntaxError);
});

test('an unset variable becomes empty with one warning', () => {
  const project = loadInline('services:\n  web:\n    image: "app${SUFFIX}"\n    labels: [a=$SUFFIX]\n');
  assert.equal(project.services.web.image, 'app');
  assert.deepEqual(project.warnings, ['The "SUFFIX" variable is not set. Defaulting to a blank string.']);
});

test('$$ reaches the container as a single dollar', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    command: ["echo", "$$HOME"]\n');
  assert.deepEqual(project.services.web.create.Config.Cmd, ['echo', '$HOME']);
});

test('the daemon settings ACCELERO_* are not visible to compose files', () => {
  const project = loadInline('services:\n  web:\n    image: app\n    environment: ["K=${ACCELERO_ENCRYPTION_KEY}"]\n', {}, { environment: { ACCELERO_ENCRYPTION_KEY: 'secret' } });
  assert.deepEqual(project.services.web.create.Config.Env, ['K=']);
});
