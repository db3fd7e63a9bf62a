import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { createDockerEngine } from '../../src/docker/index.ts';
import { DockerError } from '../../src/errors.ts';
import { buildProject } from './fixtures.ts';

describe('DockerEngine without an engine', () => {
  it('names the socket and how to get an engine when ping fails', async () => {
    const engine = createDockerEngine(new Dockerode({ socketPath: '/nonexistent/docker.sock' }));
    await assert.rejects(engine.ping(), (error: unknown) => {
      assert.ok(error instanceof DockerError);
      assert.equal(error.code, 'docker_unavailable');
      assert.match(error.message, /\/nonexistent\/docker\.sock.*dockerd/);
      return true;
    });
  });

  it('names the stack when reading the actual state fails', async () => {
    const engine = createDockerEngine(new Dockerode({ socketPath: '/nonexistent/docker.sock' }));
    await assert.rejects(engine.diff(buildProject('shop', { web: {} }), 'shop', { pull: false }), /stack shop: reading the actual state failed/);
  });
});
