import type { ComposeProject } from '../src/compose/types.ts';
import {
  applyPlan, diffStack, rollBack, stackFilter, toActualContainer, toDriftResponse, toPreviewResponse, verifyServices,
  type DockerGateway, type Plan, type ServiceSnapshot,
} from '../src/docker/index.ts';
import type { Logger } from '../src/logger.ts';
import type { DiffResult, ReconcileEngine } from './reconcile-engine.ts';

// Adapts src/docker (sync / diff / health with explicit result types) to what the stack
// actor asks: diff, apply, verify, restore.

export function createDockerReconcileEngine(gateway: DockerGateway, logger: Logger): ReconcileEngine {
  return {
    async diff(project, stackName, options): Promise<DiffResult> {
      const { actual, drift, plan, health } = await diffStack(gateway, project, stackName, options);
      return {
        drift: toDriftResponse(drift, actual.readAt).drifts,
        actions: toPreviewResponse(plan, actual.readAt).actions as DiffResult['actions'],
        hasChanges: plan.hasChanges,
        health,
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
        logger: ctx.logger,
      });
    },

    async verify(project, stackName, services) {
      const verdict = await verifyServices(gateway, project, stackName, services);
      if (!verdict.healthy) logger.warn({ stack: stackName, problems: verdict.error }, 'verification after the rollout failed');
      return verdict;
    },

    restore: (stackName, deploymentId, snapshots) =>
      rollBack(gateway, snapshots as ServiceSnapshot[], { stackName, deploymentId }),

    removeStack: (stackName, options) => gateway.removeStack(stackName, options),

    async listContainers(stackName) {
      // The same one label-filtered list the actual state is read from, plus the ports.
      const list = await gateway.docker.listContainers({ all: true, filters: stackFilter(stackName) });
      return list.map((entry) => {
        const c = toActualContainer(entry);
        return {
          id: c.id, name: c.name, image: c.image, service: c.service, replica: c.number, state: c.state,
          status: c.statusText, health: c.health, created_at: c.createdAt, labels: c.labels,
          ports: entry.Ports.map((p) => ({ private_port: p.PrivatePort, public_port: p.PublicPort ?? null, ip: p.IP ?? null, type: p.Type })),
        };
      });
    },
  };
}
