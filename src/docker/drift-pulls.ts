// Pulls per pull_policy before drift is computed, so a tag that moved on the registry shows as
// image_mismatch for an unchanged reference.

import type { ComposeProject } from '../compose/types.ts';
import { readImages } from './actual-state.ts';
import type { EngineConnection } from './connection.ts';
import { engine } from './engine-errors.ts';
import { pullImage, shouldPull } from './images.ts';
import { selectServices } from './service-rules.ts';
import type { RegistryAuth } from './types.ts';

export interface PullRequest { stackName: string; registryAuth?: RegistryAuth[]; serviceFilter?: string[] }

/** Pulls what the policies ask for; returns the references it pulled. */
export async function pullForDrift(conn: EngineConnection, project: ComposeProject, request: PullRequest): Promise<string[]> {
  const local = await engine('listing images', { stack: request.stackName }, () => readImages(conn.reads, project));
  const pulled: string[] = [];
  const seen = new Set<string>();
  for (const service of selectServices(project, request.serviceFilter)) {
    if (seen.has(service.image)) continue;
    seen.add(service.image);
    if (!shouldPull(service.pullPolicy, Boolean(local[service.image]), conn.lastPulled.get(service.image))) continue;
    await pullImage(conn.docker, service.image, service.name, {
      stackName: request.stackName, registryAuth: request.registryAuth, logger: conn.logger, lastPulled: conn.lastPulled,
    });
    pulled.push(service.image);
  }
  return pulled;
}
