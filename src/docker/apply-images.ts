// The images one deployment runs: pulled per pull_policy (before any mutation, so a failed
// pull leaves the running containers untouched), or pinned to the image ids of a past
// deployment when rolling back to it.

import type { ComposeProject } from '../compose/types.ts';
import { DockerError } from '../errors.ts';
import { readImages } from './actual-state.ts';
import type { EngineConnection } from './connection.ts';
import { ensureImages } from './images.ts';
import type { ApplyContext, Plan } from './types.ts';

export interface DeploymentImages {
  /** service → image id its containers run (every declared service of the plan). */
  imageIds: Record<string, string>;
  /** service → Config.Image for new containers. */
  createImages: Record<string, string>;
}

export async function resolveDeploymentImages(
  conn: EngineConnection, plan: Plan, project: ComposeProject, ctx: ApplyContext,
): Promise<DeploymentImages> {
  const declared = plan.actions.map((a) => project.services[a.service]).filter((s) => s !== undefined);
  const needed = declared.filter((s) => plan.levels.flat().some((a) => a.service === s.name && a.action !== 'remove'));
  const unpinned = needed.filter((s) => !ctx.pinnedImageIds?.[s.name]);
  const local = await readImages(conn.reads, project);
  const resolved = unpinned.length === 0 ? local : await ensureImages(conn.docker, unpinned, local, {
    stackName: ctx.stackName, registryAuth: ctx.registryAuth, logger: conn.logger, lastPulled: conn.lastPulled,
  }, () => readImages(conn.reads, project));
  const imageIds: Record<string, string> = {};
  const createImages: Record<string, string> = {};
  for (const s of declared) {
    const pinned = ctx.pinnedImageIds?.[s.name];
    if (pinned && needed.includes(s)) await requireLocalImage(conn, ctx.stackName, s.name, pinned);
    imageIds[s.name] = pinned ?? resolved[s.image] ?? '';
    // The reference when it still names the wanted image (docker ps stays readable), else the id.
    createImages[s.name] = pinned && resolved[s.image] !== pinned ? pinned : s.image;
  }
  return { imageIds, createImages };
}

async function requireLocalImage(conn: EngineConnection, stack: string, service: string, imageId: string): Promise<void> {
  try {
    await conn.docker.getImage(imageId).inspect();
  } catch (error) {
    throw new DockerError(`stack ${stack}, service ${service}: image ${imageId} of the deployment to restore is no longer on the host`, 'image_unavailable', { cause: error });
  }
}
