// The health axis of a stack (Argo CD style: healthy, progressing, degraded, missing) and a
// post-deploy check of the services a deployment touched, both from one actual-state read.

import type { ComposeProject } from '../compose/types.ts';
import { computeDrift } from './drift.ts';
import type { EngineConnection } from './connection.ts';
import { readStack } from './diff-stack.ts';
import type { ActualState, Verification } from './types.ts';

export type StackHealth = 'healthy' | 'progressing' | 'degraded' | 'missing' | 'unknown';

export function assessHealth(project: ComposeProject, actual: ActualState, serviceFilter?: string[]): StackHealth {
  const drift = computeDrift(project, actual, { serviceFilter }).filter((d) => d.resource === 'container');
  if (drift.some((d) => d.kind === 'unhealthy' || d.kind === 'stopped')) return 'degraded';
  if (drift.some((d) => d.kind === 'missing')) return 'missing';
  const declared = new Set(Object.keys(project.services));
  const starting = actual.containers.some((c) => declared.has(c.service) && !c.keptAside && c.health === 'starting');
  return starting ? 'progressing' : 'healthy';
}

/** Every replica of the given services exists, runs (or is a job that exited 0), and is not unhealthy or starting. */
export async function verifyServices(
  conn: EngineConnection, project: ComposeProject, stackName: string, services: string[],
): Promise<Verification> {
  const declared = services.filter((s) => project.services[s]);
  if (declared.length === 0) return { healthy: true };
  const actual = await readStack(conn, stackName, project);
  const problems = computeDrift(project, actual, { serviceFilter: declared })
    .filter((d) => declared.includes(d.service) && ['missing', 'stopped', 'unhealthy'].includes(d.kind))
    .map((d) => d.message);
  const starting = actual.containers
    .filter((c) => declared.includes(c.service) && !c.keptAside && c.health === 'starting')
    .map((c) => `${c.name} is still starting`);
  const all = [...problems, ...starting];
  return all.length === 0 ? { healthy: true } : { healthy: false, error: `stack ${stackName}: ${all.join('; ')}` };
}
