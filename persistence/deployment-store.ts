import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { Database } from './database.ts';
import { DeploymentEntity } from './entities/schemas.ts';
import type { DeploymentRecord, DeploymentStatus, DeploymentStep, DeploymentTrigger } from './entities/records.ts';

export class DeploymentStore {
  private readonly repo: Repository<DeploymentRecord>;

  /** `onFinished` observes every deployment that reaches a final status (metrics). */
  constructor(private readonly db: Database, private readonly onFinished: (deployment: DeploymentRecord) => void = () => {}) {
    this.repo = db.dataSource.getRepository(DeploymentEntity);
  }

  /** A deployment the API promised (202 with its id) before the stack actor gets to it. */
  createPending(stack: { id: string; name: string }, trigger: DeploymentTrigger): Promise<DeploymentRecord> {
    return this.insert(stack, trigger, null, 'pending');
  }

  start(stack: { id: string; name: string }, trigger: DeploymentTrigger, commit: string | null): Promise<DeploymentRecord> {
    return this.insert(stack, trigger, commit, 'in_progress');
  }

  /** pending → in_progress, with the commit it deploys. */
  markInProgress(id: string, commit: string | null): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.update({ id }, { status: 'in_progress', git_commit: commit });
    });
  }

  private insert(stack: { id: string; name: string }, trigger: DeploymentTrigger, commit: string | null, status: DeploymentStatus): Promise<DeploymentRecord> {
    const record: DeploymentRecord = {
      id: randomUUID(), stack_id: stack.id, stack_name: stack.name, status, trigger,
      git_commit: commit, changes: [], steps: [], image_ids: {}, error_message: null,
      started_at: new Date().toISOString(), completed_at: null,
    };
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
      if (after) this.onFinished(after);
    });
  }

  get(id: string): Promise<DeploymentRecord | null> {
    return this.repo.findOneBy({ id });
  }

  /** The deployment whose containers run now (the newest completed one). */
  lastCompleted(stackId: string): Promise<DeploymentRecord | null> {
    return this.repo.findOne({ where: { stack_id: stackId, status: 'completed' }, order: { started_at: 'DESC' } });
  }

  listForStack(stackId: string, limit = 50): Promise<DeploymentRecord[]> {
    return this.repo.find({ where: { stack_id: stackId }, order: { started_at: 'DESC' }, take: limit });
  }

  /** Deployments a previous process left unfinished (crash, kill -9, power loss). */
  listUnfinished(): Promise<DeploymentRecord[]> {
    return this.repo.find({ where: [{ status: 'in_progress' }, { status: 'pending' }], order: { started_at: 'ASC' } });
  }

  deleteForStack(stackId: string): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.delete({ stack_id: stackId });
    });
  }
}

export function isFinal(status: DeploymentStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'rolled_back' || status === 'interrupted';
}
