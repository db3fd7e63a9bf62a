// A private registry for integration tests: Debian's docker-registry with htpasswd auth on a
// free loopback port (Docker treats 127.0.0.1 registries as insecure-allowed, so no TLS).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { docker } from './docker.ts';

const run = promisify(execFile);

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  username: string;
  password: string;
  /** Tags a local image as `<host>/<repoTag>` and pushes it with the credentials; returns the full reference. */
  push(localTag: string, repoTag: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startRegistry(username = 'accelero', password = 'test-secret'): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'accelero-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const { stdout } = await run('htpasswd', ['-Bbn', username, password]);
  await writeFile(join(dir, 'htpasswd'), stdout);
  await writeFile(join(dir, 'config.yml'), [
    'version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${dir}/data`,
    '  delete:', '    enabled: true', 'http:', `  addr: ${host}`,
    'auth:', '  htpasswd:', '    realm: accelero-test', `    path: ${dir}/htpasswd`, '',
  ].join('\n'));
  const child = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  await waitUntilUp(host, child);
  const authconfig = { username, password, serveraddress: host };
  return {
    host, username, password,
    async push(localTag, repoTag) {
      const ref = `${host}/${repoTag}`;
      const [repo, tag] = splitTag(ref);
      await docker.getImage(localTag).tag({ repo, tag });
      const stream = await docker.getImage(ref).push({ authconfig });
      const events = await new Promise<{ error?: string }[]>((resolve, reject) =>
        docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => (err ? reject(err) : resolve(out))));
      const failed = events.find((e) => e.error);
      if (failed) throw new Error(`push ${ref}: ${failed.error}`);
      return ref;
    },
    async stop() {
      child.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function splitTag(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The registry answers /v2/ with 401 once it serves (auth is on). */
async function waitUntilUp(host: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with code ${child.exitCode}`);
    const ok = await fetch(`http://${host}/v2/`).then((r) => r.status === 401 || r.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`docker-registry did not answer on ${host}`);
}
