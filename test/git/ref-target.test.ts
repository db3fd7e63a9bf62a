import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.ts';
import { parseLsRemote } from '../../src/git/ls-remote.ts';
import { commitFor, refTarget } from '../../src/git/ref-target.ts';

const base = { stack: 's', url: '/r', composePath: 'c.yaml' };
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const refs = parseLsRemote(`${A}\trefs/heads/main\n${B}\trefs/tags/v1\n${C}\trefs/tags/v1^{}\n${B}\trefs/heads/release\n`);

describe('refTarget and commitFor', () => {
  it('follows main when neither branch nor ref is given', () => {
    assert.deepEqual(refTarget(base), { kind: 'branch', name: 'main', label: 'main' });
  });

  it('resolves a branch to the sha ls-remote reported for it', () => {
    assert.equal(commitFor(refTarget({ ...base, branch: 'main' }), refs), A);
  });

  it('resolves an annotated tag to the commit it peels to', () => {
    assert.equal(commitFor(refTarget({ ...base, ref: 'v1' }), refs), C);
  });

  it('treats a full sha in ref as a commit pin, lower-cased', () => {
    assert.deepEqual(refTarget({ ...base, ref: A.toUpperCase() }), { kind: 'commit', sha: A, label: A });
  });

  it('lets ref name a branch when no tag has that name', () => {
    assert.equal(commitFor(refTarget({ ...base, ref: 'release' }), refs), B);
  });

  it('returns undefined for a branch the remote does not have', () => {
    assert.equal(commitFor(refTarget({ ...base, branch: 'nope' }), refs), undefined);
  });

  it('refuses a ref that git would read as an option', () => {
    assert.throws(() => refTarget({ ...base, ref: '--upload-pack=evil' }), ValidationError);
  });

  it('refuses a branch name with .. in it', () => {
    assert.throws(() => refTarget({ ...base, branch: 'a..b' }), ValidationError);
  });
});
