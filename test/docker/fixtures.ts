// A small builder of ComposeProject objects for the Docker layer's tests, standing in for the
// compose loader: create options shaped like docs/compose.md (b), a config hash over them.

import { createHash } from 'node:crypto';
import type { ComposeProject, ComposeService, ServiceDependency, UpdateConfig } from '../../src/compose/types.ts';

export interface ServiceInput {
  image?: string;
  env?: Record<string, string>;
  labels?: Record<string, string>;
  command?: string[];
  /** `host:container` pairs; a host port makes the service stop-first. */
  ports?: string[];
  binds?: string[];
  volumes?: { key: string; target: string }[];
  /** Shell command run as CMD-SHELL healthcheck every second. */
  healthcheck?: string;
  healthRetries?: number;
  restart?: string;
  replicas?: number;
  dependsOn?: Record<string, ServiceDependency['condition']>;
  update?: Partial<UpdateConfig>;
  containerName?: string;
  pullPolicy?: string;
}

const SECOND_NS = 1_000_000_000;

export function buildProject(name: string, services: Record<string, ServiceInput>, volumeKeys: string[] = []): ComposeProject {
  const built: Record<string, ComposeService> = {};
  for (const [key, input] of Object.entries(services)) built[key] = buildService(name, key, input);
  const volumes = Object.fromEntries(volumeKeys.map((k) => [k, {
    key: k, name: `${name}_${k}`, external: false, driverOpts: {}, labels: {},
  }]));
  return {
    name, workingDir: '/tmp', composeFile: '/tmp/docker-compose.yaml', services: built,
    networks: { default: { key: 'default', name: `${name}_default`, external: false, driverOpts: {}, labels: {}, internal: false, attachable: false, enableIpv6: false } },
    volumes, warnings: [],
  };
}

export function buildService(project: string, name: string, input: ServiceInput): ComposeService {
  const image = input.image ?? 'accelero-test/web:v1';
  const network = `${project}_default`;
  const create = {
    Config: {
      Image: image,
      Labels: input.labels ?? {},
      Env: Object.entries(input.env ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(input.command ? { Cmd: input.command } : {}),
      ...(input.ports ? { ExposedPorts: Object.fromEntries(input.ports.map((p) => [`${p.split(':').pop()}/tcp`, {}])) } : {}),
      ...(input.healthcheck ? { Healthcheck: { Test: ['CMD-SHELL', input.healthcheck], Interval: SECOND_NS, Timeout: SECOND_NS, Retries: input.healthRetries ?? 2 } } : {}),
      StopTimeout: 1,
    },
    HostConfig: {
      NetworkMode: network,
      RestartPolicy: { Name: input.restart ?? 'unless-stopped', MaximumRetryCount: 0 },
      Binds: [...(input.binds ?? []), ...(input.volumes ?? []).map((v) => `${project}_${v.key}:${v.target}:rw`)],
      ...(input.ports ? { PortBindings: Object.fromEntries(input.ports.map((p) => {
        const [host, container] = p.includes(':') ? p.split(':') : ['', p];
        return [`${container}/tcp`, [{ HostIp: '127.0.0.1', HostPort: host }]];
      })) } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [name] } } },
  };
  return {
    name, image, replicas: input.replicas ?? 1, pullPolicy: input.pullPolicy ?? 'missing',
    restart: input.restart ?? 'unless-stopped',
    dependsOn: Object.fromEntries(Object.entries(input.dependsOn ?? {}).map(([d, condition]) => [d, { condition, required: true, restart: false }])),
    updateConfig: { failureAction: 'rollback', monitorMs: 500, delayMs: 0, parallelism: 1, ...input.update },
    hasHealthcheck: Boolean(input.healthcheck),
    containerName: input.containerName,
    publishesFixedHostPort: (input.ports ?? []).some((p) => p.includes(':')),
    stopTimeoutSeconds: 1,
    networks: ['default'], volumes: (input.volumes ?? []).map((v) => v.key), profiles: [], model: {},
    create, configHash: hash(create),
  };
}

function hash(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
