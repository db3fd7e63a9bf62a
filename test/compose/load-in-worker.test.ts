import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ComposeError } from '../../src/errors.ts';
import { loadComposeProject } from '../../src/compose/index.ts';
import { RequiredVariableError } from '../../src/compose/errors.ts';
import { createWorkerComposeLoader } from '../../src/compose/load-in-worker.ts';
import { MAX_READ_BYTES } from '../../src/compose/paths.ts';

// The daemon loads compose files in a worker thread: the same project as a load in the
// thread, the same error types, and hostile files (huge, alias bombs) refused with a clear error.

const FIXTURES = new URL('../fixtures/compose/', import.meta.url).pathname;

function billionLaughs(): string {
  const levels = ['  a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) {
    const name = String.fromCharCode(97 + i);
    levels.push(`  ${name}: &${name} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  }
  return `x-bomb:\n${levels.join('\n')}\nservices:\n  web:\n    image: busybox\n`;
}

describe('loading compose files in a worker thread', () => {
  const loader = createWorkerComposeLoader({ idleTimeoutMs: 1000 });
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accelero-worker-'));
  });

  after(async () => {
    await loader.close();
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, text: string) => {
    const project = join(dir, name);
    await rm(project, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(project));
    await writeFile(join(project, 'compose.yaml'), text);
    return project;
  };

  test('gives the same project as a load in this thread', async () => {
    const options = { projectDir: `${FIXTURES}web-db-cache`, environment: { DB_PASSWORD: 'from-the-stack' }, projectName: 'stack-a' };
    assert.deepEqual(await loader.load(options), await loadComposeProject(options));
  });

  test('throws the same error type, with the file and the message', async () => {
    const project = await write('required', 'services:\n  web:\n    image: "busybox:${TAG:?TAG must be set}"\n');
    await assert.rejects(loader.load({ projectDir: project, environment: {} }), (error: unknown) => {
      assert.ok(error instanceof RequiredVariableError, String(error));
      assert.match((error as Error).message, /TAG must be set/);
      return true;
    });
  });

  test('refuses a YAML alias bomb with an error that says so', async () => {
    const project = await write('bomb', billionLaughs());
    await assert.rejects(loader.load({ projectDir: project, environment: {} }), (error: unknown) => {
      assert.ok(error instanceof ComposeError);
      assert.match((error as Error).message, /aliases expand to more than \d+ nodes/);
      return true;
    });
  });

  test('refuses a compose file over the size cap', async () => {
    const project = await write('huge', `services:\n  web:\n    image: busybox\n# ${'x'.repeat(MAX_READ_BYTES)}\n`);
    await assert.rejects(loader.load({ projectDir: project, environment: {} }), /capped at 1048576 bytes/);
  });
});
