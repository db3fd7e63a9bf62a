// The daemon's compose cache (src/compose/cached-loader.ts) in front of the real loader, on
// real files: the same commit and environment are loaded once; any changed input loads again.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cachedComposeLoader } from '../../src/compose/cached-loader.ts';
import { composeLoader } from '../../src/compose/index.ts';
import type { ComposeLoader, LoadComposeOptions } from '../../src/compose/types.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'accelero-cached-compose-'));
});
after(() => rm(root, { recursive: true, force: true }));

/** One commit's export: a directory with a compose file using ${TAG}. */
async function exportOf(commit: string, image = 'accelero-test/web'): Promise<string> {
  const dir = join(root, commit);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'docker-compose.yaml'), `services:\n  web:\n    image: ${image}:\${TAG:-v1}\n`);
  return dir;
}

/** The real loader, counting what reaches it. */
function countingLoader(): ComposeLoader & { calls: number } {
  const counted = { calls: 0, load: (options: LoadComposeOptions) => { counted.calls++; return composeLoader.load(options); } };
  return counted;
}

const optionsFor = (dir: string, environment: Record<string, string> = {}): LoadComposeOptions =>
  ({ projectDir: dir, rootDir: dir, projectName: 'cached', environment });

describe('the cached compose loader', () => {
  test('loads the same commit with the same environment once, and answers copies', async () => {
    const inner = countingLoader();
    const loader = cachedComposeLoader(inner);
    const dir = await exportOf('c1');
    const first = await loader.load(optionsFor(dir, { TAG: 'v2' }));
    const second = await loader.load(optionsFor(dir, { TAG: 'v2' }));
    assert.equal(inner.calls, 1);
    assert.deepEqual(loader.stats, { hits: 1, loads: 1 });
    assert.deepEqual(second, first);
    second.services.web!.image = 'changed by a caller';
    assert.equal((await loader.load(optionsFor(dir, { TAG: 'v2' }))).services.web!.image, 'accelero-test/web:v2');
  });

  test('loads again for a new commit, a changed variable, another compose path or profile', async () => {
    const inner = countingLoader();
    const loader = cachedComposeLoader(inner);
    const c1 = await exportOf('c2');
    const c2 = await exportOf('c3', 'accelero-test/other');
    assert.equal((await loader.load(optionsFor(c1))).services.web!.image, 'accelero-test/web:v1');
    assert.equal((await loader.load(optionsFor(c2))).services.web!.image, 'accelero-test/other:v1');
    assert.equal((await loader.load(optionsFor(c2, { TAG: 'v9' }))).services.web!.image, 'accelero-test/other:v9');
    await loader.load({ ...optionsFor(c2, { TAG: 'v9' }), profiles: ['debug'] });
    await loader.load({ ...optionsFor(c2, { TAG: 'v9' }), profiles: ['debug'], composePath: 'docker-compose.yaml' });
    assert.equal(inner.calls, 5);
    // Back to an earlier input: only the last project of each name is kept.
    await loader.load(optionsFor(c1));
    assert.equal(inner.calls, 6);
  });

  test('does not keep a failure: a broken file is read again', async () => {
    const inner = countingLoader();
    const loader = cachedComposeLoader(inner);
    const dir = join(root, 'broken');
    await mkdir(dir);
    await writeFile(join(dir, 'docker-compose.yaml'), 'services:\n  web:\n    image: [unclosed\n');
    await assert.rejects(loader.load(optionsFor(dir)));
    await assert.rejects(loader.load(optionsFor(dir)));
    assert.equal(inner.calls, 2);
  });
});
