// applyPlan: images first (no mutation), snapshots persisted, then networks/volumes and the
// services, each as soon as its depends_on allows (rollout/schedule.ts), each replica verified
// by its rollout while the stack's engine events are followed. It never rolls back by itself: a failure returns `failed` with what was
// changed left as it is (old containers kept aside) and the snapshots already in the
// database, and the stack's rolling_back state restores them — the same code that crash
// recovery runs. Old containers are removed only after the deployment is verified
// (removeReplaced), so a running container never goes before its replacement is proven.

import type { ComposeProject, FailureAction } from '../compose/types.ts';
import { errorMessage } from '../errors.ts';
import { resolveDeploymentImages, type DeploymentImages } from './apply-images.ts';
import type { EngineConnection } from './connection.ts';
import { isEngineUnavailable } from './engine-errors.ts';
import { assertExternalsExist, ensureResources } from './resources.ts';
import { runPlan, StartedServices, type ServiceFailure } from './rollout/schedule.ts';
import { boundedParallel, progress, ReplicaFailure, type RolloutSession } from './rollout/session.ts';
import { takeSnapshots } from './snapshots.ts';
import { StackEvents } from './stack-events.ts';
import type { ApplyContext, ApplyResult, Change, Plan, ServiceSnapshot } from './types.ts';

// Five minutes: a healthcheck with a long start_period (a JVM, a migration) must not be cut short.
const DEFAULT_VERIFY_TIMEOUT_MS = 300_000;
// Container creations, and starts, at once: enough to keep the engine busy, few enough that a
// large stack does not queue hundreds of requests on it. Apart, so that the starts a
// dependency chain waits for never queue behind creations made ahead of time.
const PARALLEL_CREATES = 6;
const PARALLEL_STARTS = 6;

export async function applyPlan(conn: EngineConnection, plan: Plan, project: ComposeProject, ctx: ApplyContext): Promise<ApplyResult> {
  const changes = describeChanges(plan);
  const started = new StartedServices(plan.levels.flat());
  let session: RolloutSession;
  const missing = { networks: plan.missingNetworks, volumes: plan.missingVolumes };
  try {
    assertExternalsExist(ctx.stackName, project, missing);
    const images = await resolveDeploymentImages(conn, plan, project, ctx);
    const snapshots = await takeSnapshots(conn.docker, plan);
    await ctx.snapshots.save(ctx.deploymentId, snapshots); // before the first mutation
    // Subscribed before the first container is created, so none of its events is missed.
    const events = await StackEvents.open(conn.docker, ctx.stackName, ctx.logger ?? conn.logger);
    session = newSession(conn, project, ctx, images, snapshots, events, started);
  } catch (error) {
    // Nothing was changed yet: the running containers are untouched.
    return { status: 'failed', changes, imageIds: {}, mutated: false, ...failureDetails(project, { service: '', error }) };
  }
  try {
    await ensureResources(conn.docker, ctx.stackName, project, missing, session.logger);
    const failures = await runPlan(session, plan, started, (service) => failureAction(project, service));
    // What happens next follows the first failure that does not say `continue`.
    const decisive = failures.find((f) => failureAction(project, f.service) !== 'continue') ?? failures[0];
    if (decisive) return failed(session, changes, decisive);
  } catch (error) {
    return failed(session, changes, { service: '', error });
  } finally {
    session.events.close();
  }
  return { status: 'applied', changes, imageIds: session.images.imageIds, mutated: true };
}

function newSession(
  conn: EngineConnection, project: ComposeProject, ctx: ApplyContext,
  images: DeploymentImages, snapshots: ServiceSnapshot[], events: StackEvents, started: StartedServices,
): RolloutSession {
  return {
    docker: conn.docker, logger: ctx.logger ?? conn.logger, project, ctx,
    images,
    snapshots: new Map(snapshots.map((s) => [s.containerId, s])),
    verifyTimeoutMs: ctx.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
    events,
    creating: boundedParallel(PARALLEL_CREATES),
    starting: boundedParallel(PARALLEL_STARTS),
    onReplicaStarted: (service) => started.replicaStarted(service),
  };
}

function failureAction(project: ComposeProject, service: string): FailureAction {
  return project.services[service]?.updateConfig.failureAction ?? 'rollback';
}

function failed(session: RolloutSession, changes: Change[], failure: ServiceFailure): ApplyResult {
  const details = failureDetails(session.project, failure);
  session.logger.warn({ stack: session.ctx.stackName, service: failure.service, deployment: session.ctx.deploymentId, err: details.error }, 'deployment failed');
  progress(session, failure.service, 'failed', `deployment ${session.ctx.deploymentId} failed: ${details.error}`);
  return { status: 'failed', changes, imageIds: session.images.imageIds, mutated: true, ...details };
}

function failureDetails(project: ComposeProject, failure: ServiceFailure): Omit<ApplyResult, 'status' | 'changes' | 'imageIds' | 'mutated'> {
  const logs = failure.error instanceof ReplicaFailure ? failure.error.logs : undefined;
  return {
    error: errorMessage(failure.error),
    failureAction: failureAction(project, failure.service),
    ...(isEngineUnavailable(failure.error) ? { engineFailure: true } : {}),
    ...(logs ? { failedLogs: logs } : {}),
    ...(failure.service ? { failedService: failure.service } : {}),
  };
}

export function describeChanges(plan: Plan): Change[] {
  return plan.levels.flat().map((a) => ({ service: a.service, action: a.action, from: a.actual, to: a.expected }));
}
