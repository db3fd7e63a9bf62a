// applyPlan: images first (no mutation), snapshots persisted, then networks/volumes and the
// dependency levels in order (services of one level in parallel), each service verified by
// its rollout. A failure is handled per update_config.failure_action: rollback (restore every
// touched service from its snapshot), pause (stop here) or continue. Old containers are kept
// aside until the whole deployment succeeded, then removed.

import type { ComposeProject } from '../compose/types.ts';
import { errorMessage } from '../errors.ts';
import { resolveDeploymentImages } from './apply-images.ts';
import { removeContainer } from './containers.ts';
import { waitForDependencies } from './dependencies.ts';
import type { DockerGateway } from './gateway.ts';
import { assertExternalsExist, ensureResources } from './resources.ts';
import { rollBackContainers } from './rollback.ts';
import { rollOutService } from './rollout/service.ts';
import { progress, ReplicaFailure, type RolloutSession } from './rollout/session.ts';
import { takeSnapshots } from './snapshots.ts';
import type { ApplyContext, ApplyResult, Change, PlannedAction, Plan, ServiceSnapshot } from './types.ts';

// Five minutes: a healthcheck with a long start_period (a JVM, a migration) must not be cut short.
const DEFAULT_VERIFY_TIMEOUT_MS = 300_000;

interface ServiceFailure { service: string; error: unknown }

export async function applyPlan(gateway: DockerGateway, plan: Plan, project: ComposeProject, ctx: ApplyContext): Promise<ApplyResult> {
  const changes = describeChanges(plan);
  let session: RolloutSession;
  const missing = { networks: plan.missingNetworks, volumes: plan.missingVolumes };
  try {
    assertExternalsExist(ctx.stackName, project, missing);
    const images = await resolveDeploymentImages(gateway, plan, project, ctx);
    const snapshots = await takeSnapshots(gateway.docker, plan);
    await ctx.snapshots.save(ctx.deploymentId, snapshots); // before the first mutation
    session = newSession(gateway, project, ctx, images, snapshots);
  } catch (error) {
    // Nothing was changed yet: the running containers are untouched.
    return { status: 'failed', changes, imageIds: {}, error: errorMessage(error) };
  }
  const imageIds = session.imageIds;
  try {
    await ensureResources(gateway.docker, ctx.stackName, project, missing, ctx.logger ?? gateway.logger);
    const failures = await applyLevels(session, plan);
    const fatal = failures.find((f) => failureAction(project, f.service) !== 'continue');
    if (fatal && failureAction(project, fatal.service) === 'rollback') {
      return await rollBackAfter(session, fatal, changes);
    }
    if (failures.length > 0) return { status: 'failed', changes, imageIds, ...failureDetails(failures[0]!) };
  } catch (error) {
    return rollBackAfter(session, { service: '', error }, changes);
  }
  await removeAside(session);
  return { status: 'completed', changes, imageIds };
}

function newSession(
  gateway: DockerGateway, project: ComposeProject, ctx: ApplyContext,
  images: { imageIds: Record<string, string>; createImages: Record<string, string> }, snapshots: ServiceSnapshot[],
): RolloutSession {
  return {
    docker: gateway.docker, logger: ctx.logger ?? gateway.logger, project, ctx,
    imageIds: images.imageIds, createImages: images.createImages,
    snapshots: new Map(snapshots.map((s) => [s.containerId, s])),
    aside: [], verifyTimeoutMs: ctx.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
  };
}

/** Runs the levels in order; stops at the first level with a failure that is not `continue`. */
async function applyLevels(session: RolloutSession, plan: Plan): Promise<ServiceFailure[]> {
  const failures: ServiceFailure[] = [];
  for (const level of plan.levels) {
    const results = await Promise.allSettled(level.map((action) => applyService(session, action)));
    results.forEach((r, i) => { if (r.status === 'rejected') failures.push({ service: level[i]!.service, error: r.reason }); });
    if (failures.some((f) => failureAction(session.project, f.service) !== 'continue')) break;
  }
  return failures;
}

async function applyService(session: RolloutSession, action: PlannedAction): Promise<void> {
  const service = session.project.services[action.service];
  if (service) {
    await waitForDependencies({
      docker: session.docker, logger: session.logger, stackName: session.ctx.stackName,
      project: session.project, timeoutMs: session.verifyTimeoutMs,
    }, service);
  }
  progress(session, action.service, action.action, `${action.action} (${action.order}): ${action.reason}`);
  await rollOutService(session, action);
}

function failureAction(project: ComposeProject, service: string): 'rollback' | 'pause' | 'continue' {
  return project.services[service]?.updateConfig.failureAction ?? 'rollback';
}

async function rollBackAfter(session: RolloutSession, failure: ServiceFailure, changes: Change[]): Promise<ApplyResult> {
  const details = failureDetails(failure);
  session.logger.warn({ stack: session.ctx.stackName, service: failure.service, deployment: session.ctx.deploymentId, err: details.error }, 'deployment failed; rolling back');
  progress(session, failure.service, 'rollback', `rolling back deployment ${session.ctx.deploymentId}: ${details.error}`);
  try {
    await rollBackContainers(session.docker, session.logger, [...session.snapshots.values()], session.ctx);
  } catch (error) {
    return { status: 'failed', changes, imageIds: session.imageIds, ...details, error: `${details.error}; ${errorMessage(error)}` };
  }
  return { status: 'rolled_back', changes, imageIds: session.imageIds, ...details };
}

function failureDetails(failure: ServiceFailure): Pick<ApplyResult, 'error' | 'failedLogs' | 'failedService'> {
  const logs = failure.error instanceof ReplicaFailure ? failure.error.logs : undefined;
  return {
    error: errorMessage(failure.error),
    ...(logs ? { failedLogs: logs } : {}),
    ...(failure.service ? { failedService: failure.service } : {}),
  };
}

/** After success only. A failed removal is a warning: the leftover shows as `extra` drift next time. */
async function removeAside(session: RolloutSession): Promise<void> {
  for (const old of session.aside) {
    progress(session, old.service, 'cleanup', `removing the replaced container ${old.id.slice(0, 12)}`);
    await removeContainer(session.docker, old.id, { stack: session.ctx.stackName, service: old.service })
      .catch((error: unknown) => session.logger.warn({ stack: session.ctx.stackName, service: old.service, err: errorMessage(error) }, 'removing a replaced container failed'));
  }
}

export function describeChanges(plan: Plan): Change[] {
  return plan.levels.flat().map((a) => ({ service: a.service, action: a.action, from: a.actual, to: a.expected }));
}
