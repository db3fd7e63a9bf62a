import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialsFor, shouldPull } from '../../src/docker/images.ts';
import { normaliseReference, parseReference } from '../../src/docker/images-ref.ts';
import { matchImages, parseExitCode, parseHealth } from '../../src/docker/actual-state.ts';

describe('image references and pulls', () => {
  it('folds Docker Hub aliases and the implicit latest tag', () => {
    assert.equal(normaliseReference('docker.io/library/nginx'), 'nginx:latest');
    assert.equal(normaliseReference('index.docker.io/nginx:1.27'), 'nginx:1.27');
    assert.equal(normaliseReference('localhost:5000/app'), 'localhost:5000/app:latest');
  });

  it('takes a first component with a dot, a colon or localhost as the registry host', () => {
    assert.equal(parseReference('127.0.0.1:5000/team/app:v2').registry, '127.0.0.1:5000');
    assert.equal(parseReference('team/app:v2').registry, 'docker.io');
  });

  it('matches credentials by registry host, with Hub aliases folded', () => {
    const auths = [{ registry: 'https://index.docker.io/v1/', username: 'hub', password: 'p' }, { registry: '127.0.0.1:5000', username: 'me', password: 's' }];
    assert.equal(credentialsFor('nginx:1', auths)?.username, 'hub');
    assert.equal(credentialsFor('127.0.0.1:5000/app:v1', auths)?.username, 'me');
    assert.equal(credentialsFor('ghcr.io/x/y:1', auths), undefined);
  });

  it('pulls under missing only when the image is absent, and never under never', () => {
    assert.equal(shouldPull('missing', true, undefined), false);
    assert.equal(shouldPull('missing', false, undefined), true);
    assert.equal(shouldPull('never', false, undefined), false);
    assert.equal(shouldPull('always', true, undefined), true);
    assert.equal(shouldPull('daily', true, Date.now() - 2 * 86_400_000), true);
    assert.equal(shouldPull('every_12h', true, Date.now() - 3_600_000), false);
  });

  it('pulls under always every time, except that apply reuses a pull the diffing step just made', () => {
    assert.equal(shouldPull('always', true, Date.now() - 1_000), true);
    assert.equal(shouldPull('always', true, Date.now() - 1_000, true), false);
    assert.equal(shouldPull('always', true, Date.now() - 120_000, true), true);
  });

  it('maps references to local image ids through RepoTags', () => {
    const ids = matchImages(['nginx', 'app:v1'], [{ Id: 'sha256:n', RepoTags: ['nginx:latest'] }, { Id: 'sha256:a', RepoTags: ['app:v1'] }] as never);
    assert.deepEqual(ids, { nginx: 'sha256:n', 'app:v1': 'sha256:a' });
  });

  it('reads health and exit code from the status line of the list call', () => {
    assert.equal(parseHealth('Up 3 seconds (health: starting)'), 'starting');
    assert.equal(parseHealth('Up 3 minutes (unhealthy)'), 'unhealthy');
    assert.equal(parseHealth('Up 3 minutes'), 'none');
    assert.equal(parseExitCode('Exited (137) 2 seconds ago'), 137);
    assert.equal(parseExitCode('Up 2 seconds'), null);
  });
});
