import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../src/errors.ts';
import type { Logger } from '../src/logger.ts';
import type { DeploymentRecord, DeploymentTrigger, StackRecord } from '../persistence/entities/records.ts';
import { KeyedLock } from '../src/keyed-lock.ts';
import type { DeploymentStore } from '../persistence/deployment-store.ts';
import type { StackStore } from '../persistence/stack-store.ts';
import type { CreateStackInput, UpdateStackInput } from '../src/api/stack-schema.ts';
import type { SecretBox } from '../src/secrets/index.ts';
import type { StackRemoval } from './stack-removal.ts';
import { stackInputFrom, type Supervisor } from './supervisor.ts';

// What the REST layer may ask of stacks. Mutations go through here into the actors; the API
// never talks to Docker or git itself.

export interface StackCommandDeps {
  stacks: StackStore;
  deployments: DeploymentStore;
  supervisor: Supervisor;
  secrets: SecretBox;
  logger: Logger;
  /** Everything a deleted stack owns: its history, its exports, its containers when asked. */
  removal: StackRemoval;
  /** How long DELETE waits for a running deploy to reach a safe point. */
  deleteWaitMs?: number;
}

const seal = (box: SecretBox, value: string | null | undefined) => (value ? box.encrypt(value) : null);

export class StackCommands {
  private readonly requestLock = new KeyedLock();

  constructor(private readonly deps: StackCommandDeps) {}

  async get(idOrName: string): Promise<StackRecord> {
    const stack = await this.deps.stacks.find(idOrName);
    if (!stack) throw new NotFoundError(`stack "${idOrName}" not found`);
    return stack;
  }

  async create(input: CreateStackInput): Promise<StackRecord> {
    if (await this.deps.stacks.findByName(input.name)) {
      throw new ConflictError(`a stack named "${input.name}" already exists`);
    }
    const now = new Date().toISOString();
    const { secrets } = this.deps;
    const record: StackRecord = {
      id: randomUUID(), name: input.name, repo_url: input.repo_url, repo_branch: input.repo_branch,
      repo_ref: input.repo_ref ?? null, compose_path: input.compose_path, service_filter: input.service_filter ?? null,
      auto_deploy: input.auto_deploy, reconcile_interval_seconds: input.reconcile_interval_seconds,
      repo_username: input.repo_username ?? null, repo_token_sealed: seal(secrets, input.repo_token),
      repo_ssh_key_sealed: seal(secrets, input.repo_ssh_key), docker_registry: input.docker_registry ?? null,
      docker_username: input.docker_username ?? null, docker_password_sealed: seal(secrets, input.docker_password),
      webhook_secret_sealed: seal(secrets, input.webhook_secret),
      repo_ssh_known_hosts: input.repo_ssh_known_hosts ?? null,
      repo_ssh_strict_host_key_checking: input.repo_ssh_strict_host_key_checking ?? null,
      paused: false, state: 'idle', sync_status: 'unknown', health_status: 'unknown', last_error: null,
      failed_commit: null, git_commit: null, last_deployed_at: null, last_reconciled_at: null,
      created_at: now, updated_at: now,
    };
    await this.deps.stacks.insert(record);
    this.deps.supervisor.spawn(record);
    // A new stack looks at git at once; it deploys then only when auto_deploy says so.
    this.deps.supervisor.send(record.id, { type: 'SYNC' });
    return record;
  }

  async update(idOrName: string, input: UpdateStackInput): Promise<StackRecord> {
    const stack = await this.get(idOrName);
    if (input.name !== undefined && input.name !== stack.name) {
      // Containers are found by the accelero.stack label, which holds the name: a rename would
      // orphan the running containers of the stack.
      throw new ValidationError('name cannot be changed: containers are labelled with it; create a new stack instead', 'name');
    }
    const { repo_token, repo_ssh_key, docker_password, webhook_secret, ...plain } = input;
    const patch: Partial<StackRecord> = { ...plain } as Partial<StackRecord>;
    const { secrets } = this.deps;
    if (repo_token !== undefined) patch.repo_token_sealed = seal(secrets, repo_token);
    if (repo_ssh_key !== undefined) patch.repo_ssh_key_sealed = seal(secrets, repo_ssh_key);
    if (docker_password !== undefined) patch.docker_password_sealed = seal(secrets, docker_password);
    if (webhook_secret !== undefined) patch.webhook_secret_sealed = seal(secrets, webhook_secret);
    const updated = (await this.deps.stacks.update(stack.id, patch))!;
    const { autoDeploy, reconcileIntervalMs } = stackInputFrom(updated);
    this.deps.supervisor.send(stack.id, { type: 'STACK_UPDATED', settings: { autoDeploy, reconcileIntervalMs } });
    return updated;
  }

  /**
   * Queues a deploy and answers with the deployment that will carry it: the one of a cycle
   * under way that the request joins, or of the cycle already waiting, or a new one. The check,
   * the row and the event happen under a per-stack lock, and the row exists before the event
   * is sent, so a storm of requests cannot leave a promised deployment no cycle will end.
   */
  async deploy(idOrName: string, trigger: Extract<DeploymentTrigger, 'manual' | 'webhook'> = 'manual'): Promise<{ stack: StackRecord; deploymentId: string }> {
    const stack = await this.get(idOrName);
    const type = trigger === 'webhook' ? 'WEBHOOK_PUSH' : 'DEPLOY';
    return this.requestLock.run(stack.id, async () => {
      const promised = this.deps.supervisor.promisedDeploymentId(stack.id, { type });
      if (promised) {
        this.deps.supervisor.send(stack.id, { type });
        return { stack, deploymentId: promised };
      }
      const deployment = await this.deps.deployments.createPending(stack, trigger);
      this.deps.supervisor.send(stack.id, { type, deploymentId: deployment.id });
      return { stack, deploymentId: deployment.id };
    });
  }

  /**
   * Redeploys an earlier deployment's commit and image ids, then keeps the stack pinned there
   * (paused) until RESUME. Default target: the last completed deployment before the current one.
   */
  async rollback(idOrName: string, targetId?: string): Promise<{ stack: StackRecord; deploymentId: string; target: DeploymentRecord }> {
    const stack = await this.get(idOrName);
    const target = await this.rollbackTarget(stack, targetId);
    return this.requestLock.run(stack.id, async () => {
      const deployment = await this.deps.deployments.createPending(stack, 'rollback');
      this.deps.supervisor.send(stack.id, { type: 'ROLLBACK', deploymentId: deployment.id, rollbackTo: target.id });
      return { stack, deploymentId: deployment.id, target };
    });
  }

  private async rollbackTarget(stack: StackRecord, targetId?: string): Promise<DeploymentRecord> {
    if (targetId) {
      const target = await this.deps.deployments.get(targetId);
      if (!target || target.stack_id !== stack.id) throw new NotFoundError(`deployment "${targetId}" of stack "${stack.name}" not found`);
      if (target.status !== 'completed' || !target.git_commit) {
        throw new ConflictError(`deployment "${targetId}" is ${target.status}; only a completed deployment can be rolled back to`);
      }
      return target;
    }
    const completed = (await this.deps.deployments.listForStack(stack.id, 200)).filter((d) => d.status === 'completed' && d.git_commit);
    const current = completed[0];
    const earlier = completed.find((d) => d.git_commit !== current?.git_commit);
    if (!earlier) throw new ConflictError(`stack "${stack.name}" has no completed deployment of another commit to roll back to`);
    return earlier;
  }

  async setPaused(idOrName: string, paused: boolean): Promise<StackRecord> {
    const stack = await this.get(idOrName);
    const updated = (await this.deps.stacks.update(stack.id, { paused }))!;
    this.deps.supervisor.send(stack.id, { type: paused ? 'PAUSE' : 'RESUME' });
    return updated;
  }

  async delete(idOrName: string, options: { removeContainers: boolean; removeVolumes: boolean }): Promise<void> {
    const stack = await this.get(idOrName);
    await this.stopActorAtSafePoint(stack.id);
    await this.deps.removal.remove(stack, options);
    this.deps.logger.info({ stack: stack.name, remove_containers: options.removeContainers }, 'stack deleted');
  }

  /** DELETE lets an in-flight deploy finish (or roll back) before the actor goes away. */
  private async stopActorAtSafePoint(stackId: string): Promise<void> {
    const { supervisor } = this.deps;
    if (!supervisor.has(stackId)) return;
    supervisor.send(stackId, { type: 'DELETE' });
    const deadline = Date.now() + (this.deps.deleteWaitMs ?? 300_000);
    while (Date.now() < deadline && supervisor.stackSnapshot(stackId)?.status === 'active') {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    supervisor.remove(stackId);
  }
}
