import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { Database } from './database.ts';
import { DeploymentEntity } from './entities/schemas.ts';
import type { DeploymentChange, DeploymentRecord, DeploymentStatus, DeploymentStep, DeploymentTrigger } from './entities/records.ts';

export class DeploymentStore {
  private readonly repo: Repository<DeploymentRecord>;
  private readonly finishedListeners: Array<(deployment: DeploymentRecord) => void> = [];

  /** `onFinished` observes every deployment that reaches a final status (metrics). */
  constructor(private readonly db: Database, onFinished?: (deployment: DeploymentRecord) => void) {
    this.repo = db.dataSource.getRepository(DeploymentEntity);
    if (onFinished) this.finishedListeners.push(onFinished);
  }

  /**
   * Another observer of finished deployments (the event bus's `deployment_end`). Every way a
   * deployment ends goes through `finish`, so this sees them all, once each. Called inside the
   * write queue: a listener must not wait for anything.
   */
  observeFinished(listener: (deployment: DeploymentRecord) => void): void {
    this.finishedListeners.push(listener);
  }

  /** A deployment the API promised (202 with its id) before the stack actor gets to it. */
  createPending(stack: { id: string; name: string }, trigger: DeploymentTrigger): Promise<DeploymentRecord> {
    return this.insert(newRecord(stack, trigger, null, 'pending'));
  }

  /**
   * The deployment a rollout works under: the promised one (pending → in_progress, with the
   * commit it deploys) or a new one. Returns its id.
   */
  begin(stack: { id: string; name: string }, trigger: DeploymentTrigger, commit: string | null, promisedId?: string): Promise<string> {
    return this.db.writes.run(async () => {
      const promised = promisedId ? await this.repo.findOneBy({ id: promisedId }) : null;
      if (promised && !isFinal(promised.status)) {
        await this.repo.update({ id: promised.id }, { status: 'in_progress', git_commit: commit });
        return promised.id;
      }
      const record = newRecord(stack, trigger, commit, 'in_progress');
      await this.repo.insert(record);
      return record.id;
    });
  }

  /**
   * A planned deploy that waits for approval: the promised row (or a new one) takes the plan's
   * commit and changes. The approval it replaces, if any, ends skipped naming this one.
   */
  awaitApproval(plan: { stack: { id: string; name: string }; trigger: DeploymentTrigger; commit: string; changes: DeploymentChange[]; promisedId?: string }): Promise<string> {
    return this.db.writes.run(async () => {
      const promised = plan.promisedId ? await this.repo.findOneBy({ id: plan.promisedId }) : null;
      if (promised && !isFinal(promised.status)) {
        await this.repo.update({ id: promised.id }, { status: 'awaiting_approval', git_commit: plan.commit, changes: plan.changes });
        return promised.id;
      }
      const record = { ...newRecord(plan.stack, plan.trigger, plan.commit, 'awaiting_approval'), changes: plan.changes };
      await this.repo.insert(record);
      return record.id;
    });
  }

  /** Deployments waiting for approval, oldest first. */
  listAwaitingApproval(): Promise<DeploymentRecord[]> {
    return this.repo.find({ where: { status: 'awaiting_approval' }, order: { started_at: 'ASC' } });
  }

  /** What a rollout changed, recorded as soon as it is known (before verification or restore). */
  recordChanges(id: string, changes: DeploymentChange[], imageIds: Record<string, string>): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.update({ id }, { changes, image_ids: imageIds });
    });
  }

  private insert(record: DeploymentRecord): Promise<DeploymentRecord> {
    return this.db.writes.run(async () => {
      await this.repo.insert(record);
      return record;
    });
  }

  addStep(id: string, step: Omit<DeploymentStep, 'at'>): Promise<void> {
    return this.db.writes.run(async () => {
      const row = await this.repo.findOneBy({ id });
      if (!row) return;
      row.steps = [...row.steps, { at: new Date().toISOString(), ...step }];
      await this.repo.update({ id }, { steps: row.steps });
    });
  }

  finish(id: string, patch: Pick<DeploymentRecord, 'status'> & Partial<DeploymentRecord>): Promise<void> {
    return this.db.writes.run(async () => {
      const before = await this.repo.findOneBy({ id });
      // A deployment is finished once: a second report (an error path after a rollback) is ignored.
      if (!before || isFinal(before.status)) return;
      await this.repo.update({ id }, { completed_at: new Date().toISOString(), ...patch });
      const after = await this.repo.findOneBy({ id });
      if (after) for (const listener of this.finishedListeners) listener(after);
    });
  }

  /** A deployment that ends without a rollout to verify or restore (nothing to do, skipped, failed as it stands). */
  async end(end: { deploymentId: string; status: 'completed' | 'skipped' | 'failed' | 'rejected'; message: string; commit: string | null }): Promise<void> {
    await this.addStep(end.deploymentId, { service: null, step: end.status === 'completed' ? 'noop' : end.status, message: end.message });
    await this.finish(end.deploymentId, {
      status: end.status,
      ...(end.commit ? { git_commit: end.commit } : {}),
      error_message: end.status === 'completed' ? null : end.message,
    });
  }

  get(id: string): Promise<DeploymentRecord | null> {
    return this.repo.findOneBy({ id });
  }

  /** The deployment whose containers run now (the newest completed one). */
  lastCompleted(stackId: string): Promise<DeploymentRecord | null> {
    return this.repo.findOne({ where: { stack_id: stackId, status: 'completed' }, order: { started_at: 'DESC' } });
  }

  /**
   * Commits whose exported files running or deploying containers may bind-mount: the newest
   * completed deployment's, and any deployment still under way. Their exports must not be pruned.
   */
  async commitsInUse(stackId: string): Promise<string[]> {
    const rows = await this.repo.find({
      where: [{ stack_id: stackId, status: 'in_progress' }, { stack_id: stackId, status: 'pending' }],
      select: { git_commit: true },
    });
    const deployed = await this.lastCompleted(stackId);
    const commits = [deployed?.git_commit, ...rows.map((r) => r.git_commit)];
    return [...new Set(commits.filter((c): c is string => Boolean(c)))];
  }

  /**
   * The newest deployment of each stack (the overview's "last deployment"), in one query: the
   * join walks idx_deployments_stack. Two deployments started in the same millisecond: either.
   */
  async latestByStack(): Promise<Map<string, DeploymentRecord>> {
    const rows = await this.repo
      .createQueryBuilder('d')
      .innerJoin(
        (sub) => sub.select('x.stack_id', 'stack_id').addSelect('MAX(x.started_at)', 'latest').from(DeploymentEntity, 'x').groupBy('x.stack_id'),
        'newest', 'newest.stack_id = d.stack_id AND newest.latest = d.started_at',
      )
      .getMany();
    return new Map(rows.map((row) => [row.stack_id, row]));
  }

  async latestForStack(stackId: string): Promise<DeploymentRecord | null> {
    return (await this.listForStack(stackId, 1))[0] ?? null;
  }

  listForStack(stackId: string, limit = 50): Promise<DeploymentRecord[]> {
    return this.repo.find({ where: { stack_id: stackId }, order: { started_at: 'DESC' }, take: limit });
  }

  /** Deployments a previous process left unfinished (crash, kill -9, power loss). */
  listUnfinished(): Promise<DeploymentRecord[]> {
    return this.repo.find({ where: [{ status: 'in_progress' }, { status: 'pending' }], order: { started_at: 'ASC' } });
  }

}

function newRecord(stack: { id: string; name: string }, trigger: DeploymentTrigger, commit: string | null, status: DeploymentStatus): DeploymentRecord {
  return {
    id: randomUUID(), stack_id: stack.id, stack_name: stack.name, status, trigger,
    git_commit: commit, changes: [], steps: [], image_ids: {}, error_message: null,
    started_at: new Date().toISOString(), completed_at: null,
  };
}

export function isFinal(status: DeploymentStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'rolled_back' || status === 'interrupted' || status === 'skipped' || status === 'rejected';
}
