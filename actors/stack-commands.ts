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
import { normaliseProjectName } from '../src/compose/index.ts';
import { sameCredentialHost } from '../src/git/index.ts';

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

/**
 * Credentials stay with their host: a repo_url on another host (or scheme), or another
 * docker_registry, drops the stored token, SSH key or password unless the same request gives
 * a new one. Returns the fields dropped, so the answer can say so.
 */
function dropForeignCredentials(stack: StackRecord, input: UpdateStackInput, patch: Partial<StackRecord>): string[] {
  const dropped: string[] = [];
  const drop = (field: 'repo_token' | 'repo_ssh_key' | 'docker_password') => {
    const sealed = `${field}_sealed` as const;
    if (!stack[sealed] || input[field] !== undefined) return;
    patch[sealed] = null;
    dropped.push(field);
  };
  if (input.repo_url !== undefined && input.repo_url !== stack.repo_url && !sameCredentialHost(stack.repo_url, input.repo_url)) {
    drop('repo_token');
    drop('repo_ssh_key');
  }
  const registry = (value: string | null | undefined) => (value ?? '').trim().toLowerCase();
  if (input.docker_registry !== undefined && registry(input.docker_registry) !== registry(stack.docker_registry)) drop('docker_password');
  return dropped;
}

export interface UpdateOutcome {
  stack: StackRecord;
  droppedCredentials: string[];
}

export class StackCommands {
  private readonly requestLock = new KeyedLock();

  constructor(private readonly deps: StackCommandDeps) {}

  async get(idOrName: string): Promise<StackRecord> {
    const stack = await this.deps.stacks.find(idOrName);
    if (!stack) throw new NotFoundError(`stack "${idOrName}" not found`);
    return stack;
  }

  /** Creations run one at a time: the name checks and the insert must not interleave. */
  create(input: CreateStackInput): Promise<StackRecord> {
    return this.requestLock.run('create', () => this.createNow(input));
  }

  private async createNow(input: CreateStackInput): Promise<StackRecord> {
    await this.checkNameIsFree(input.name);
    const now = new Date().toISOString();
    const { secrets } = this.deps;
    const record: StackRecord = {
      id: randomUUID(), name: input.name, repo_url: input.repo_url, repo_branch: input.repo_branch,
      repo_ref: input.repo_ref ?? null, compose_path: input.compose_path, service_filter: input.service_filter ?? null,
      auto_deploy: input.auto_deploy, requires_approval: input.requires_approval, reconcile_interval_seconds: input.reconcile_interval_seconds,
      repo_username: input.repo_username ?? null, repo_token_sealed: seal(secrets, input.repo_token),
      repo_ssh_key_sealed: seal(secrets, input.repo_ssh_key), docker_registry: input.docker_registry ?? null,
      docker_username: input.docker_username ?? null, docker_password_sealed: seal(secrets, input.docker_password),
      webhook_secret_sealed: seal(secrets, input.webhook_secret),
      repo_ssh_known_hosts: input.repo_ssh_known_hosts ?? null,
      repo_ssh_strict_host_key_checking: input.repo_ssh_strict_host_key_checking ?? null,
      variables: input.variables ?? null, policy: input.policy ?? null,
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

  /**
   * Two names that map to one compose project (`Web`, `web`, `w.eb`) would share containers,
   * networks and volumes: the second is refused like a duplicate.
   */
  private async checkNameIsFree(name: string): Promise<void> {
    const project = normaliseProjectName(name);
    const taken = (await this.deps.stacks.list()).find((s) => s.name === name || normaliseProjectName(s.name) === project);
    if (!taken) return;
    throw new ConflictError(taken.name === name ? `a stack named "${name}" already exists`
      : `stack name "${name}" maps to the compose project "${project}", which stack "${taken.name}" already uses`);
  }

  async update(idOrName: string, input: UpdateStackInput): Promise<UpdateOutcome> {
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
    const droppedCredentials = dropForeignCredentials(stack, input, patch);
    const updated = (await this.deps.stacks.update(stack.id, patch))!;
    if (droppedCredentials.length > 0) this.deps.logger.warn({ stack: stack.name, dropped: droppedCredentials }, 'credentials of another host dropped');
    const { autoDeploy, reconcileIntervalMs, requiresApproval } = stackInputFrom(updated);
    this.deps.supervisor.send(stack.id, { type: 'STACK_UPDATED', settings: { autoDeploy, reconcileIntervalMs, requiresApproval } });
    return { stack: updated, droppedCredentials };
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
