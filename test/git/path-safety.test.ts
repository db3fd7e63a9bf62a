import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PathEscapeError, resolveInside } from '../../src/git/index.ts';

describe('resolveInside', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'accelero-paths-'));
    await mkdir(join(root, 'conf'));
    await writeFile(join(root, 'conf', 'app.env'), 'A=1\n');
    await symlink('/etc', join(root, 'etc-link'));
    await symlink('conf', join(root, 'conf-link'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('returns the absolute path of a relative path inside the root', () => {
    assert.equal(resolveInside(root, 'conf/app.env', 'env_file'), join(root, 'conf', 'app.env'));
  });

  it('allows .. segments that stay inside the root', () => {
    assert.equal(resolveInside(root, 'conf/../conf/app.env', 'env_file'), join(root, 'conf', 'app.env'));
  });

  it('rejects a path that climbs out with ..', () => {
    assert.throws(() => resolveInside(root, '../outside.yaml', 'compose_path'), PathEscapeError);
  });

  it('rejects an absolute path outside the root, naming the field', () => {
    assert.throws(() => resolveInside(root, '/etc/passwd', 'volumes'), (error: unknown) =>
      error instanceof PathEscapeError && /volumes/.test(error.message) && /\/etc\/passwd/.test(error.message));
  });

  it('rejects a path that leaves the root through a symlink', () => {
    assert.throws(() => resolveInside(root, 'etc-link/passwd', 'env_file'), PathEscapeError);
  });

  it('allows a symlink that points inside the root', () => {
    assert.equal(resolveInside(root, 'conf-link/app.env', 'env_file'), join(root, 'conf-link', 'app.env'));
  });
});
