import type { ComposeProject } from '../src/compose/types.ts';
import {
  applyPlan, computeDrift, planRollout, rollBack, toDriftResponse, toPreviewResponse,
  type DockerGateway, type DriftItem, type Plan, type ServiceSnapshot,
} from '../src/docker/index.ts';
import type { Logger } from '../src/logger.ts';
import type { HealthStatus } from '../machines/stack.types.ts';
import type { DiffResult, ReconcileEngine } from './reconcile-engine.ts';

// Adapts src/docker (sync / diff / health with explicit result types) to what the stack
// actor asks: diff, apply, verify, restore.

/** Argo CD's health axis from the drift of the selected services. */
export function healthFromDrift(drift: DriftItem[], serviceCount: number): HealthStatus {
  const containerDrift = drift.filter((d) => d.resource !== 'network' && d.resource !== 'volume');
  if (containerDrift.some((d) => d.kind === 'unhealthy' || d.kind === 'stopped')) return 'degraded';
  const missing = containerDrift.filter((d) => d.kind === 'missing').length;
  if (missing > 0 && missing >= serviceCount) return 'missing';
  if (missing > 0) return 'degraded';
  return 'healthy';
}

/** Drift that means a verified service is not running as it should. */
const failedKinds = new Set(['missing', 'stopped', 'unhealthy', 'image_mismatch', 'config_changed']);

export function createDockerReconcileEngine(gateway: DockerGateway, logger: Logger): ReconcileEngine {
  return {
    async diff(project, stackName, options): Promise<DiffResult> {
      await gateway.pullImages(project, { stackName, registryAuth: options.registryAuth, serviceFilter: options.serviceFilter });
      const actual = await gateway.readActualState(stackName, project);
      const drift = computeDrift(project, actual, { serviceFilter: options.serviceFilter });
      const plan = planRollout(project, actual, drift, { serviceFilter: options.serviceFilter });
      const checkedAt = actual.readAt;
      return {
        drift: toDriftResponse(drift, checkedAt).drifts,
        actions: toPreviewResponse(plan, checkedAt).actions as DiffResult['actions'],
        hasChanges: plan.hasChanges,
        health: healthFromDrift(drift, Object.keys(project.services).length),
        plan,
      };
    },

    async apply(project: ComposeProject, diff, ctx) {
      return applyPlan(gateway, diff.plan as Plan, project, {
        stackName: ctx.stackName,
        deploymentId: ctx.deploymentId,
        commit: ctx.commit ?? '',
        registryAuth: ctx.registryAuth,
        pinnedImageIds: ctx.pinnedImageIds,
        snapshots: { save: (_id, snapshots) => ctx.saveSnapshots(snapshots) },
        onProgress: (event) => ctx.onProgress(event),
      });
    },

    async verify(project, stackName, services) {
      const actual = await gateway.readActualState(stackName, project);
      const touched = new Set(services);
      const problems = computeDrift(project, actual).filter((d) => touched.has(d.service) && failedKinds.has(d.kind));
      if (problems.length === 0) return { healthy: true };
      logger.warn({ stack: stackName, problems: problems.map((p) => p.message) }, 'verification found drift after the rollout');
      return { healthy: false, error: problems.map((p) => p.message).join('; ') };
    },

    restore: (stackName, deploymentId, snapshots) =>
      rollBack(gateway, snapshots as ServiceSnapshot[], { stackName, deploymentId }),

    removeStack: (stackName, options) => gateway.removeStack(stackName, options),

    async listContainers(stackName) {
      const list = await gateway.docker.listContainers({ all: true, filters: { label: [`accelero.stack=${stackName}`] } });
      return list.map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        image: c.Image,
        service: c.Labels['accelero.service'] ?? '',
        replica: Number(c.Labels['com.docker.compose.container-number'] ?? 0),
        state: c.State,
        status: c.Status,
        health: /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace('health: ', '') ?? 'none',
        created_at: new Date(c.Created * 1000).toISOString(),
        ports: c.Ports.map((p) => ({ private_port: p.PrivatePort, public_port: p.PublicPort ?? null, ip: p.IP ?? null, type: p.Type })),
        labels: c.Labels,
      }));
    },
  };
}
