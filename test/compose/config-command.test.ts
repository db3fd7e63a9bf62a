import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { runConfigCommand } from '../../src/cli/config.ts';
import { DEFAULT_COMPOSE_FILES } from '../../src/compose/load.ts';
import { FIXTURES, writeProject } from './helpers.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const result = { code: 0, stdout: '', stderr: '' };
  const io = { stdout: { write: (text: string) => (result.stdout += text) }, stderr: { write: (text: string) => (result.stderr += text) }, env };
  result.code = await runConfigCommand(argv, io);
  return result;
}

function fixtureEnvironment(dir: string): Record<string, string> {
  return existsSync(`${dir}/env.json`) ? JSON.parse(readFileSync(`${dir}/env.json`, 'utf8')) : {};
}

const fixtureNames = readdirSync(FIXTURES).filter((name) => existsSync(`${FIXTURES}${name}/expected.yaml`));
const SAMPLES = new URL('../../samples/', import.meta.url).pathname;
const sampleNames = readdirSync(SAMPLES).filter((name) => DEFAULT_COMPOSE_FILES.some((file) => existsSync(`${SAMPLES}${name}/${file}`)));

test('there are at least ten realistic fixtures', () => assert.ok(fixtureNames.length >= 10, `${fixtureNames.length} fixtures`));

for (const name of fixtureNames) {
  test(`accelero config prints the expected model for the ${name} fixture`, async () => {
    const dir = `${FIXTURES}${name}`;
    const result = await run(['--project-dir', dir], fixtureEnvironment(dir));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.replaceAll(dir, '<project>'), readFileSync(`${dir}/expected.yaml`, 'utf8'));
  });
}

test('there is at least one sample repository', () => assert.ok(sampleNames.length >= 1));

for (const name of sampleNames) {
  test(`accelero config prints the expected model for samples/${name}`, async () => {
    const dir = `${SAMPLES}${name}`;
    const result = await run(['--project-dir', dir]);
    assert.equal(result.code, 0, result.stderr);
    const expected = readFileSync(`${FIXTURES}samples-expected/${name}.yaml`, 'utf8');
    assert.equal(result.stdout.replaceAll(dir, '<project>'), expected);
  });
}

test('--format json prints the same model as JSON', async () => {
  const dir = `${FIXTURES}web-db-cache`;
  const result = await run(['--project-dir', dir, '--format', 'json']);
  const parsed = JSON.parse(result.stdout);
  assert.equal(parsed.name, 'shop');
  assert.deepEqual(parsed.services.db.environment, { POSTGRES_DB: 'shop', POSTGRES_PASSWORD: 's3cr3t', POSTGRES_USER: 'shop' });
});

test('--file picks another compose file in the project directory', async () => {
  const dir = writeProject({ 'stack/prod.yaml': 'services:\n  web:\n    image: app:prod\n' });
  const result = await run(['--project-dir', dir, '--file', 'stack/prod.yaml', '--format', 'json']);
  assert.equal(JSON.parse(result.stdout).services.web.image, 'app:prod');
});

test('warnings go to stderr and the model to stdout', async () => {
  const dir = writeProject({ 'compose.yaml': 'services:\n  web:\n    image: "app${TAG}"\n' });
  const result = await run(['--project-dir', dir]);
  assert.equal(result.code, 0);
  assert.match(result.stderr, /WARN The "TAG" variable is not set/);
  assert.match(result.stdout, /image: app\n/);
});

test('an invalid project exits 1 with the error on stderr and nothing on stdout', async () => {
  const dir = writeProject({ 'compose.yaml': 'services:\n  web:\n    image: app\n    ports: ["80:eighty"]\n' });
  const result = await run(['--project-dir', dir]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /invalid port "80:eighty" \(service "web" field "ports\[0\]" in compose.yaml\)/);
});

test('a missing required variable exits 1 with its message', async () => {
  const result = await run(['--project-dir', `${FIXTURES}web-db-cache`], { POSTGRES_PASSWORD: '' });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /required variable POSTGRES_PASSWORD is missing a value: set POSTGRES_PASSWORD in .env/);
});

test('an unknown format exits 2', async () => assert.equal((await run(['--format', 'toml'])).code, 2));
test('an unknown option exits 2 with the usage', async () => {
  const result = await run(['--frobnicate']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /usage: accelero config/);
});
test('--profile enables a profile', async () => {
  const result = await run(['--project-dir', `${FIXTURES}profiles-debug`, '--profile', 'dev', '--format', 'json']);
  assert.deepEqual(Object.keys(JSON.parse(result.stdout).services).sort(), ['api', 'db', 'mock-mail']);
});
test('--quiet validates without printing the model', async () => {
  const result = await run(['--project-dir', `${FIXTURES}web-db-cache`, '--quiet']);
  assert.deepEqual([result.code, result.stdout], [0, '']);
});
test('--quiet still fails on an invalid project', async () => {
  const result = await run(['--project-dir', `${FIXTURES}web-db-cache`, '-q'], { POSTGRES_PASSWORD: '' });
  assert.equal(result.code, 1);
});
test('--services lists the enabled services', async () => {
  const result = await run(['--project-dir', `${FIXTURES}profiles-debug`, '--services'], { COMPOSE_PROFILES: 'tools' });
  assert.equal(result.stdout, 'api\ndb\nadminer\n');
});
