import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Database } from './database.ts';
import {
  AuditEntity, DeploymentEntity, DriftReportEntity, SnapshotEntity, StackEntity, StackRegistryEntity, StackSecretEntity, TransitionEntity,
} from './entities/schemas.ts';
import type { DeploymentRecord, DeploymentStatus, StackRecord } from './entities/records.ts';

// Bounded history, and deleting everything a stack owns, in one place. Every statement is
// built with TypeORM's query builder (no SQLite-only SQL), so PostgreSQL runs the same code;
// each walks an index: transitions (stack_id, id), deployments (stack_id, started_at),
// snapshots (deployment_id) and (stack_id), audit entries (at).

export interface RetentionLimits {
  /** Transitions kept per stack, newest first. */
  transitions: number;
  /** Deployments kept per stack, newest first (the protected ones are kept beyond it). */
  deployments: number;
  /** Audit entries older than this many days are deleted. */
  auditDays: number;
}

export const defaultRetention: RetentionLimits = { transitions: 2000, deployments: 200, auditDays: 90 };

export interface PruneResult {
  transitions: number;
  deployments: number;
  snapshots: number;
}

/** A deployment in these states is still being worked on: never pruned. */
const UNFINISHED: DeploymentStatus[] = ['pending', 'in_progress'];
const DAY_MS = 24 * 60 * 60 * 1000;
/** The tables whose rows belong to one stack (by stack_id). */
const OWNED_BY_STACK = [SnapshotEntity, DeploymentEntity, DriftReportEntity, TransitionEntity, StackSecretEntity, StackRegistryEntity];

export class HistoryStore {
  constructor(
    private readonly db: Database,
    private readonly limits: RetentionLimits = defaultRetention,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Keeps the stack's newest transitions and deployments; never deletes an unfinished
   * deployment nor the newest completed one (its containers run now, and its snapshots are
   * what a rollback restores). The snapshots of every deleted deployment go with it.
   */
  pruneStack(stackId: string): Promise<PruneResult> {
    return this.db.writes.run(() => this.db.dataSource.transaction(async (manager) => {
      const transitions = await this.pruneTransitions(manager, stackId);
      return { transitions, ...(await this.pruneDeployments(manager, stackId)) };
    }));
  }

  /** Deletes audit entries older than the retention; returns how many. */
  pruneAudit(): Promise<number> {
    const cutoff = new Date(this.now() - this.limits.auditDays * DAY_MS).toISOString();
    return this.db.writes.run(async () => {
      const result = await this.db.dataSource.createQueryBuilder()
        .delete().from(AuditEntity).where('at < :cutoff', { cutoff }).execute();
      return result.affected ?? 0;
    });
  }

  /**
   * Every stack, then the audit trail, each stack in its own short transaction. History left
   * by stacks that are gone (deleted before deletion took everything) is deleted too.
   */
  async pruneAll(): Promise<PruneResult & { audit: number; orphanedStacks: number }> {
    // Ids with history are read before the stack rows: a stack created meanwhile has its row first.
    const withHistory = await this.stackIdsWithHistory();
    const stacks = new Set((await this.db.dataSource.getRepository(StackEntity).find({ select: { id: true } })).map((s) => (s as StackRecord).id));
    const total = { transitions: 0, deployments: 0, snapshots: 0, audit: 0, orphanedStacks: 0 };
    for (const stackId of stacks) {
      const pruned = await this.pruneStack(stackId);
      total.transitions += pruned.transitions;
      total.deployments += pruned.deployments;
      total.snapshots += pruned.snapshots;
    }
    for (const stackId of withHistory.filter((id) => !stacks.has(id))) {
      await this.deleteStack(stackId);
      total.orphanedStacks += 1;
    }
    total.audit = await this.pruneAudit();
    return total;
  }

  /** The stack's deployments, snapshots, drift reports, transitions and its row, all or nothing. */
  deleteStack(stackId: string): Promise<void> {
    return this.db.writes.run(() => this.db.dataSource.transaction(async (manager) => {
      for (const entity of OWNED_BY_STACK) {
        await manager.createQueryBuilder().delete().from(entity).where('stack_id = :stackId', { stackId }).execute();
      }
      await manager.createQueryBuilder().delete().from(StackEntity).where('id = :stackId', { stackId }).execute();
    }));
  }

  private async stackIdsWithHistory(): Promise<string[]> {
    const ids = new Set<string>();
    for (const entity of OWNED_BY_STACK) {
      const rows = await this.db.dataSource.createQueryBuilder(entity, 'x').select('x.stack_id', 'stack_id').distinct().getRawMany<{ stack_id: string }>();
      for (const row of rows) ids.add(row.stack_id);
    }
    return [...ids];
  }

  private async pruneTransitions(manager: EntityManager, stackId: string): Promise<number> {
    // The newest transition beyond the limit; it and everything older go.
    const newestDoomed = await manager.createQueryBuilder(TransitionEntity, 't')
      .select('t.id', 'id').where('t.stack_id = :stackId', { stackId })
      .orderBy('t.id', 'DESC').offset(this.limits.transitions).limit(1)
      .getRawOne<{ id: number }>();
    if (!newestDoomed) return 0;
    const result = await manager.createQueryBuilder().delete().from(TransitionEntity)
      .where('stack_id = :stackId AND id <= :id', { stackId, id: newestDoomed.id }).execute();
    return result.affected ?? 0;
  }

  private async pruneDeployments(manager: EntityManager, stackId: string): Promise<Omit<PruneResult, 'transitions'>> {
    const newestDoomed = await newestFirst(manager, stackId).offset(this.limits.deployments).limit(1)
      .getRawOne<Pick<DeploymentRecord, 'id' | 'started_at'>>();
    if (!newestDoomed) return { deployments: 0, snapshots: 0 };
    const running = await newestFirst(manager, stackId).andWhere('d.status = :completed', { completed: 'completed' })
      .limit(1).getRawOne<Pick<DeploymentRecord, 'id'>>();
    const doomed = manager.createQueryBuilder().subQuery().select('d.id').from(DeploymentEntity, 'd')
      .where('d.stack_id = :stackId', { stackId })
      .andWhere('(d.started_at < :cutoffAt OR (d.started_at = :cutoffAt AND d.id <= :cutoffId))', { cutoffAt: newestDoomed.started_at, cutoffId: newestDoomed.id })
      .andWhere('d.status NOT IN (:...unfinished)', { unfinished: UNFINISHED })
      .andWhere('d.id <> :running', { running: running?.id ?? '' });
    const snapshots = await manager.createQueryBuilder().delete().from(SnapshotEntity)
      .where(`deployment_id IN ${doomed.getQuery()}`).setParameters(doomed.getParameters()).execute();
    const deployments = await manager.createQueryBuilder().delete().from(DeploymentEntity)
      .where(`id IN ${doomed.getQuery()}`).setParameters(doomed.getParameters()).execute();
    return { deployments: deployments.affected ?? 0, snapshots: snapshots.affected ?? 0 };
  }
}

/** A stack's deployments, newest first, ties broken by id so the order is total. */
function newestFirst(manager: EntityManager, stackId: string): SelectQueryBuilder<DeploymentRecord> {
  return manager.createQueryBuilder(DeploymentEntity, 'd')
    .select('d.id', 'id').addSelect('d.started_at', 'started_at')
    .where('d.stack_id = :stackId', { stackId })
    .orderBy('d.started_at', 'DESC').addOrderBy('d.id', 'DESC');
}
