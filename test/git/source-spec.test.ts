import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.ts';
import { checkStackName, normaliseSource } from '../../src/git/source-spec.ts';

const spec = (url: string, credentials?: { username?: string; token?: string }) => ({ stack: 's', url, composePath: 'c.yaml', credentials });

describe('normaliseSource', () => {
  it('takes user and token out of the URL and passes them as credentials', () => {
    const source = normaliseSource(spec('https://deploy:tok@h/r.git'));
    assert.equal(source.url, 'https://h/r.git');
    assert.deepEqual(source.credentials, { username: 'deploy', token: 'tok' });
  });

  it('prefers the stack credentials over those in the URL', () => {
    const source = normaliseSource(spec('https://deploy:old@h/r.git', { token: 'new' }));
    assert.deepEqual(source.credentials, { username: 'deploy', token: 'new' });
  });

  it('gives two credential sets on one URL different access keys', () => {
    assert.notEqual(normaliseSource(spec('https://h/r.git', { token: 'a' })).accessKey, normaliseSource(spec('https://h/r.git', { token: 'b' })).accessKey);
  });

  it('refuses the ext:: transport, which runs commands', () => {
    assert.throws(() => normaliseSource(spec('ext::sh -c touch% /tmp/pwned')), ValidationError);
  });

  it('refuses a URL that git would read as an option', () => {
    assert.throws(() => normaliseSource(spec('--upload-pack=touch /tmp/x')), ValidationError);
  });

  it('makes a relative local path absolute', () => {
    assert.equal(normaliseSource(spec('./repo')).url, `${process.cwd()}/repo`);
  });
});

describe('checkStackName', () => {
  it('refuses names that would leave the data directory', () => {
    for (const name of ['../x', 'a/b', '.mirrors', '']) assert.throws(() => checkStackName(name), ValidationError, name);
  });
});
