import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { loadConfig } from '../../src/config/config.ts';
import { createDockerClient } from '../../src/docker/client.ts';
import { engineTimedOut, isEngineUnavailable, wrapEngineError } from '../../src/docker/engine-errors.ts';
import { ComposeError, DockerError, ValidationError } from '../../src/errors.ts';

// The bounds of DOCKER_TIMEOUT that a real engine cannot be made to show on demand: a pull
// that keeps making progress for longer than the timeout, one that goes silent, a `wait`
// that answers late. A fake engine on a unix socket plays those parts.

const TIMEOUT_MS = 1_500;
const STEP_MS = 200;

function progressLines(response: ServerResponse, count: number, done: () => void): void {
  let sent = 0;
  const timer = setInterval(() => {
    response.write(`${JSON.stringify({ status: `step ${++sent}` })}\n`);
    if (sent < count) return;
    clearInterval(timer);
    done();
  }, STEP_MS);
}

function fakeEngine(): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://engine');
    const later = (ms: number, body: unknown) => setTimeout(() => response.end(JSON.stringify(body)), ms);
    response.setHeader('content-type', 'application/json');
    if (url.pathname.endsWith('/images/create')) {
      response.writeHead(200);
      // steady: twelve steps, longer in total than the timeout; silent: one step, then nothing.
      if (url.searchParams.get('fromImage') === 'steady') progressLines(response, 12, () => response.end());
      else progressLines(response, 1, () => undefined);
    } else if (url.pathname.endsWith('/wait')) {
      response.writeHead(200);
      response.flushHeaders();
      later(TIMEOUT_MS + 1_000, { StatusCode: 0 });
    } else if (url.pathname.endsWith('/events')) {
      response.writeHead(200);
      response.flushHeaders();
      later(TIMEOUT_MS + 1_000, { status: 'create' });
    } else {
      response.writeHead(404).end(JSON.stringify({ message: 'not in this fake' }));
    }
  });
}

function pull(docker: Dockerode, image: string): Promise<unknown[]> {
  return docker.pull(image).then((stream) => new Promise<unknown[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (error: Error | null, out: unknown[]) => (error ? reject(error) : resolve(out)))));
}

describe('createDockerClient bounds by kind of call (fake engine)', () => {
  let dir: string;
  let server: Server;
  let docker: Dockerode;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accelero-fake-engine-'));
    server = fakeEngine();
    const socketPath = join(dir, 'docker.sock');
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    docker = createDockerClient(loadConfig({ DOCKER_HOST: `unix://${socketPath}`, DOCKER_TIMEOUT: `${TIMEOUT_MS}ms` }));
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('lets a pull run longer than DOCKER_TIMEOUT while it makes progress', async () => {
    const events = await pull(docker, 'steady');
    assert.equal(events.length, 12);
  });

  it('ends a pull that makes no progress for DOCKER_TIMEOUT with docker_timeout', async () => {
    await assert.rejects(pull(docker, 'silent'), (error: DockerError) => {
      assert.equal(error.code, 'docker_timeout');
      assert.match(error.message, /POST \/images\/create with no progress for 1\.5s \(DOCKER_TIMEOUT\)/);
      return true;
    });
  });

  it('does not bound a wait, which answers when the container exits', async () => {
    assert.deepEqual(await docker.getContainer('job').wait(), { StatusCode: 0 });
  });

  it('does not cut an events stream that is quiet for longer than DOCKER_TIMEOUT', async () => {
    const events = await docker.getEvents();
    const first = await new Promise<string>((resolve, reject) => {
      events.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      events.once('error', reject);
    });
    (events as unknown as { destroy(): void }).destroy();
    assert.match(first, /create/);
  });

  it('leaves the engine\'s own refusals as they are (not an engine fault)', async () => {
    await assert.rejects(docker.getContainer('nope').inspect(), (error: { statusCode?: number }) => {
      assert.equal(error.statusCode, 404);
      assert.equal(isEngineUnavailable(error), false);
      return true;
    });
  });
});

describe('DOCKER_TIMEOUT setting', () => {
  it('defaults to 60s and takes the durations the other settings take', () => {
    assert.equal(loadConfig({}).dockerTimeoutMs, 60_000);
    assert.equal(loadConfig({ DOCKER_TIMEOUT: '90s' }).dockerTimeoutMs, 90_000);
    assert.equal(loadConfig({ DOCKER_TIMEOUT: '1m30s' }).dockerTimeoutMs, 90_000);
    assert.equal(loadConfig({ DOCKER_TIMEOUT: '5' }).dockerTimeoutMs, 5_000);
  });

  for (const bad of ['soon', '-5s', '0s']) {
    it(`refuses DOCKER_TIMEOUT=${bad} at startup, naming the variable`, () => {
      assert.throws(() => loadConfig({ DOCKER_TIMEOUT: bad }), (error: ValidationError) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.field, 'DOCKER_TIMEOUT');
        assert.match(error.message, new RegExp(`^DOCKER_TIMEOUT=${bad} `));
        return true;
      });
    });
  }
});

describe('engine faults', () => {
  const timedOut = () => engineTimedOut('unix:///var/run/docker.sock', 'GET /containers/json', { timeoutMs: 2_000 });
  const refused = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED', syscall: 'connect' });

  it('wrapEngineError keeps the fault\'s code and says what and where', () => {
    const wrapped = wrapEngineError(timedOut(), 'listing containers', { stack: 'shop', service: 'web' });
    assert.equal(wrapped.code, 'docker_timeout');
    assert.equal(wrapped.message, 'stack shop, service web: listing containers failed: the Docker engine at unix:///var/run/docker.sock did not answer GET /containers/json within 2s (DOCKER_TIMEOUT)');
    assert.equal(wrapEngineError(refused, 'listing containers', { stack: 'shop' }).code, 'docker_unavailable');
    const refusal = Object.assign(new Error('(HTTP code 409) conflict'), { statusCode: 409, json: { message: 'name in use' } });
    assert.equal(wrapEngineError(refusal, 'creating container').code, 'docker_error');
  });

  it('isEngineUnavailable: the engine failed, not the request', () => {
    assert.equal(isEngineUnavailable(timedOut()), true);
    assert.equal(isEngineUnavailable(refused), true);
    assert.equal(isEngineUnavailable(new DockerError('pulling failed: dropped', 'image_pull_failed', { cause: Object.assign(new Error('aborted'), { code: 'ECONNRESET' }) })), true);
    assert.equal(isEngineUnavailable(new DockerError('stack shop: image x unavailable', 'image_unavailable')), false);
    const missingFile = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' });
    assert.equal(isEngineUnavailable(missingFile), false);
    const compose = new ComposeError('env file missing');
    (compose as { cause?: unknown }).cause = refused;
    assert.equal(isEngineUnavailable(compose), false, 'a compose error is the release\'s, whatever its cause');
  });
});
