import { join } from 'node:path';
import { NotFoundError } from '../../src/errors.ts';
import type { ComposeLoader, ComposeProject, LoadComposeOptions } from '../../src/compose/types.ts';
import type { DockerEngine, DriftItem, PlannedAction, StackContainer, StackDiff, StackHealth } from '../../src/docker/index.ts';

// A Docker engine and a compose loader for unit tests: plain data in and out, every call
// recorded. By default the engine finds nothing to change and every rollout is healthy; a test
// replaces the methods it cares about.

export interface EngineCall { method: keyof DockerEngine; args: unknown[] }

export type FakeDockerEngine = DockerEngine & { calls: EngineCall[]; callsOf(method: keyof DockerEngine): unknown[][] };

export function fakeEngine(overrides: Partial<DockerEngine> = {}): FakeDockerEngine {
  const calls: EngineCall[] = [];
  const defaults: Omit<DockerEngine, 'address'> = {
    ping: async () => {},
    diff: async (project) => stackDiff({ project: project.name }),
    apply: async () => ({ status: 'applied', changes: [], imageIds: {}, mutated: false }),
    verify: async () => ({ healthy: true }),
    removeReplaced: async () => {},
    restore: async () => {},
    listContainers: async () => [],
    removeStack: async () => {},
    resourceOwners: async () => ({ networks: {}, volumes: {}, containers: {} }),
    container: async (stack, cid) => { throw new NotFoundError(`stack "${stack}" has no container "${cid}"`); },
    containerLogs: async (stack, cid) => { throw new NotFoundError(`stack "${stack}" has no container "${cid}"`); },
    containerStats: async (stack, cid) => { throw new NotFoundError(`stack "${stack}" has no container "${cid}"`); },
    restartContainer: async (stack, cid) => { throw new NotFoundError(`stack "${stack}" has no container "${cid}"`); },
    images: async () => [],
    volumes: async () => [],
    networks: async () => [],
  };
  const methods = { ...defaults, ...overrides } as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const engine = { address: 'fake://docker', calls, callsOf: (method: keyof DockerEngine) => calls.filter((c) => c.method === method).map((c) => c.args) };
  for (const [name, method] of Object.entries(methods)) {
    if (name === 'address') continue;
    Object.assign(engine, {
      [name]: (...args: unknown[]) => {
        calls.push({ method: name as keyof DockerEngine, args });
        return method(...args);
      },
    });
  }
  return engine as FakeDockerEngine;
}

/** A compose loader that reads no file: the project of an export directory, with the given services. */
export function fakeCompose(services: ComposeProject['services'] = {}): ComposeLoader & { loads: LoadComposeOptions[] } {
  const loads: LoadComposeOptions[] = [];
  return {
    loads,
    load: async (options) => {
      loads.push(options);
      return {
        name: options.projectName ?? 'project', workingDir: options.projectDir,
        composeFile: join(options.projectDir, options.composePath ?? 'docker-compose.yaml'),
        services, networks: {}, volumes: {}, warnings: [],
      };
    },
  };
}

/** What a diff finds: drift and planned actions (a plan has changes when an action is not `none`). */
export function stackDiff(options: { project?: string; drift?: DriftItem[]; actions?: PlannedAction[]; health?: StackHealth } = {}): StackDiff {
  const project = options.project ?? 'project';
  const actions = options.actions ?? [];
  const changing = actions.filter((a) => a.action !== 'none');
  return {
    actual: { stackName: project, containers: [], networks: {}, volumes: {}, images: {}, readAt: new Date().toISOString() },
    drift: options.drift ?? [],
    plan: {
      stackName: project, project, levels: changing.length > 0 ? [changing] : [], actions,
      missingNetworks: [], missingVolumes: [], hasChanges: changing.length > 0,
    },
    health: options.health ?? 'healthy',
    pulled: [],
  };
}

export function plannedAction(service: string, action: PlannedAction['action'] = 'create'): PlannedAction {
  return {
    service, action, reason: `${service} is missing`, expected: 'accelero-test/web:v1', actual: 'missing',
    order: 'start-first', orderReason: 'default', replicas: [{ number: 1, action, containerName: `${service}-1` }],
  };
}

export function driftItem(service: string, kind: DriftItem['kind'] = 'missing'): DriftItem {
  return { service, kind, expected: 'running', actual: kind, message: `${service} is ${kind}`, resource: 'container' };
}

export function container(stack: string, service: string, overrides: Partial<StackContainer> = {}): StackContainer {
  return {
    id: `${service}0123456789ab`, name: `${stack}-${service}-1`, service, number: 1, image: 'accelero-test/web:v1', imageId: 'sha256:1',
    configHash: 'h', deploymentId: 'd', commit: 'c', state: 'running', statusText: 'Up 3 minutes (healthy)', health: 'healthy',
    exitCode: null, keptAside: false, anonymousVolumes: [], labels: { 'accelero.stack': stack }, networks: [`${stack}_default`],
    createdAt: '2026-01-01T00:00:00.000Z', ports: [{ privatePort: 80, publicPort: 8080, ip: '0.0.0.0', type: 'tcp' }], ...overrides,
  };
}
