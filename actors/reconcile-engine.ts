import type { ComposeProject } from '../src/compose/types.ts';
import type { Logger } from '../src/logger.ts';
import type { HealthStatus } from '../machines/stack.types.ts';
import type { DeploymentChange } from '../persistence/entities/records.ts';

// What the stack actor needs from the Docker layer, in the actor's own words. src/docker
// implements the sync / diff / health parts; main.ts adapts it (docker-reconcile-engine.ts).

export interface DriftView {
  service_name: string;
  type: string;
  expected: string | null;
  actual: string | null;
  message: string;
}

export interface PlannedActionView {
  service_name: string;
  action: 'create' | 'recreate' | 'start' | 'remove' | 'none';
  reason: string;
  expected: string | null;
  actual: string | null;
  order: 'start-first' | 'stop-first';
}

export interface ContainerView {
  id: string;
  name: string;
  image: string;
  service: string;
  replica: number;
  state: string;
  status: string;
  health: string;
  created_at: string;
  ports: Array<{ private_port: number; public_port: number | null; ip: string | null; type: string }>;
  labels: Record<string, string>;
}

export interface DiffResult {
  drift: DriftView[];
  actions: PlannedActionView[];
  hasChanges: boolean;
  health: HealthStatus;
  /** The engine's own plan, handed back to `apply` unchanged. */
  plan: unknown;
}

export type RegistryCredentials = Array<{ registry?: string; username?: string; password?: string }>;

export interface DiffOptions {
  serviceFilter: string[];
  registryAuth: RegistryCredentials;
  /** A rollback to a past deployment: the image ids its services must run. */
  pinnedImageIds?: Record<string, string>;
  /** false: no registry pulls (read-only views); default true. */
  pull?: boolean;
}

export interface ApplyContext {
  stackId: string;
  stackName: string;
  deploymentId: string;
  commit: string | null;
  registryAuth: RegistryCredentials;
  /** Pinned image ids (rollback to an earlier deployment): service → image id. */
  pinnedImageIds?: Record<string, string>;
  saveSnapshots(snapshots: Array<{ service: string; containerName: string; containerId: string | null }>): Promise<void>;
  onProgress(progress: { service: string | null; step: string; message: string }): void;
  /** Logger whose lines carry the stack and deployment ids. */
  logger: Logger;
}

export interface ApplyOutcome {
  status: 'completed' | 'rolled_back' | 'failed';
  changes: DeploymentChange[];
  imageIds: Record<string, string>;
  error?: string;
  failedLogs?: string;
}

export interface ReconcileEngine {
  diff(project: ComposeProject, stackName: string, options: DiffOptions): Promise<DiffResult>;
  apply(project: ComposeProject, diff: DiffResult, ctx: ApplyContext): Promise<ApplyOutcome>;
  /** Every service touched by the deployment is running and healthy (or a finished job). */
  verify(project: ComposeProject, stackName: string, services: string[]): Promise<{ healthy: boolean; error?: string }>;
  /** Restores a deployment's snapshots (used when verification after apply fails). */
  restore(stackName: string, deploymentId: string, snapshots: unknown[]): Promise<void>;
  removeStack(stackName: string, options: { volumes: boolean }): Promise<void>;
  /** The stack's containers as the API shows them. */
  listContainers(stackName: string): Promise<ContainerView[]>;
}
