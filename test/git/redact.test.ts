import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactUrl, scrubSecrets, splitUrlCredentials, urlKind } from '../../src/git/redact.ts';

describe('redactUrl', () => {
  it('removes user and password from an https URL', () => {
    assert.equal(redactUrl('https://deploy:s3cret@git.example.com/org/repo.git'), 'https://git.example.com/org/repo.git');
  });

  it('removes a token given as the https user', () => {
    assert.equal(redactUrl('https://ghp_abcdef123456@github.com/org/repo.git'), 'https://github.com/org/repo.git');
  });

  it('keeps the ssh user but drops an ssh password', () => {
    assert.equal(redactUrl('ssh://git:pw@host.example:2222/repo.git'), 'ssh://git@host.example:2222/repo.git');
  });

  it('hides a query string, where some servers accept tokens', () => {
    assert.equal(redactUrl('https://host/repo.git?private_token=abc'), 'https://host/repo.git?redacted');
  });

  it('leaves scp-like and local URLs as they are', () => {
    assert.equal(redactUrl('git@github.com:org/repo.git'), 'git@github.com:org/repo.git');
    assert.equal(redactUrl('/srv/git/repo'), '/srv/git/repo');
  });
});

describe('splitUrlCredentials', () => {
  it('moves user and password out of an https URL', () => {
    assert.deepEqual(splitUrlCredentials('https://u%40x:p%2Fw@host/r.git'), { url: 'https://host/r.git', username: 'u@x', password: 'p/w' });
  });

  it('does not touch ssh URLs', () => {
    assert.deepEqual(splitUrlCredentials('ssh://git@host/r.git'), { url: 'ssh://git@host/r.git' });
  });
});

describe('urlKind', () => {
  it('tells local, http and ssh URLs apart, scp-like counting as ssh', () => {
    assert.deepEqual(
      ['file:///r', '/r', './r', 'https://h/r', 'http://h/r', 'ssh://h/r', 'git@h:r.git'].map(urlKind),
      ['local', 'local', 'local', 'http', 'http', 'ssh', 'ssh'],
    );
  });
});

describe('scrubSecrets', () => {
  it('replaces each secret and its URL-encoded form', () => {
    assert.equal(scrubSecrets('a p/w+ b p%2Fw%2B c', ['p/w+']), 'a *** b *** c');
  });
});
