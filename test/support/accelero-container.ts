// Accelero as a container for the e2e tests: the image of the current source, built once per
// source (scripts/build-image.sh --if-missing, which scripts/ensure-docker.sh --test-env runs
// before the suite), and a container from it with the socket and a data directory mounted at
// the same path. Every container is labelled accelero-test.container and removed by remove().

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker } from './docker.ts';
import { eventually } from './eventually.ts';
import { jsonClient, type JsonRequest } from './http-client.ts';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
export const CONTAINER_LABEL = 'accelero-test.container';

let built: Promise<string> | undefined;

/** `accelero:src-<hash>` of the current source, built when missing. */
export function acceleroImage(): Promise<string> {
  built ??= (async () => {
    await run('bash', ['scripts/build-image.sh', '--if-missing'], { cwd: root, maxBuffer: 16 << 20 });
    return (await run('bash', ['scripts/build-image.sh', '--print-tag'], { cwd: root })).stdout.trim();
  })();
  return built;
}

/** The default bridge's gateway: where a container reaches a server of this host. */
export async function bridgeGateway(): Promise<string> {
  const bridge = await docker.getNetwork('bridge').inspect();
  // Docker 20.10 leaves Gateway out of the default bridge's IPAM; it is the subnet's first address.
  const config = bridge.IPAM?.Config?.[0];
  const subnet = /^(\d+\.\d+\.\d+)\.(\d+)\//.exec(config?.Subnet ?? '');
  const gateway = config?.Gateway ?? (subnet ? `${subnet[1]}.${Number(subnet[2]) + 1}` : undefined);
  if (!gateway) throw new Error(`the default bridge network has no gateway address (IPAM ${JSON.stringify(bridge.IPAM)})`);
  return gateway;
}

export interface AcceleroContainer {
  id: string;
  name: string;
  dataDir: string;
  apiKey: string;
  url(): Promise<string>;
  request: JsonRequest;
  logs(): Promise<string>;
  /** Host pid of the node process (tini's child): what `kill -9` from the host targets. */
  nodePid(): Promise<number>;
  remove(): Promise<void>;
}

export interface ContainerOptions {
  env?: Record<string, string>;
  /** Host directory for the data (default: a new temp directory, removed by remove()). */
  dataDir?: string;
  /** Where the container mounts it (default: the same path as on the host). */
  mountAt?: string;
  labels?: Record<string, string>;
}

export async function startAcceleroContainer(options: ContainerOptions = {}): Promise<AcceleroContainer> {
  const image = await acceleroImage();
  const dataDir = options.dataDir ?? await mkdtemp('/tmp/accelero-container-');
  const apiKey = `acc_${randomBytes(16).toString('hex')}`;
  const name = `accelero-test-${randomBytes(4).toString('hex')}`;
  const inside = options.mountAt ?? dataDir;
  const env = { DATABASE_PATH: join(inside, 'accelero.db'), STACKS_DATA_DIR: join(inside, 'stacks'), API_KEY: apiKey, ...options.env };
  const container = await docker.createContainer({
    name, Image: image, Labels: { [CONTAINER_LABEL]: '1', ...options.labels },
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    ExposedPorts: { '8000/tcp': {} },
    HostConfig: {
      Binds: ['/var/run/docker.sock:/var/run/docker.sock', `${dataDir}:${inside}`],
      PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      RestartPolicy: { Name: 'unless-stopped' },
    },
  });
  await container.start();
  const url = async () => {
    const info = await container.inspect();
    const port = info.NetworkSettings.Ports['8000/tcp']?.[0]?.HostPort;
    if (!port) throw new Error(`${name} publishes no port (state ${info.State.Status})`);
    return `http://127.0.0.1:${port}`;
  };
  const request: JsonRequest = async (...args) => jsonClient(await url(), apiKey)(...args);
  return {
    id: container.id, name, dataDir, apiKey, url, request,
    logs: async () => (await container.logs({ stdout: true, stderr: true, follow: false })).toString('utf8'),
    nodePid: async () => {
      const top = await container.top({ ps_args: '-o pid,args' });
      const row = top.Processes.find((p: string[]) => /^node /.test(p[1] ?? ''));
      if (!row) throw new Error(`no node process in ${name}: ${JSON.stringify(top.Processes)}`);
      return Number(row[0]);
    },
    remove: async () => {
      await container.remove({ force: true, v: true }).catch(() => undefined);
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until /readyz answers 200 (the start of a container, or its restart). */
export async function readyz(container: AcceleroContainer, what = `${container.name} to answer /readyz`): Promise<void> {
  // Bounded: docker-proxy accepts a connection before the container listens, and may hold it.
  await eventually(async () => (await fetch(`${await container.url()}/readyz`, { signal: AbortSignal.timeout(5_000) })).status === 200, what);
}
