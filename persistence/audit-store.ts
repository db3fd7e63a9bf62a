import { In, Like, MoreThanOrEqual, type FindOptionsWhere, type Repository } from 'typeorm';
import type { Database } from './database.ts';
import { AuditEntity } from './entities/schemas.ts';
import type { AuditRecord } from './entities/records.ts';

// The audit trail: who did what to which target, and how it ended. Append-only.

export interface AuditQuery {
  limit: number;
  actor?: string;
  target?: string;
  /** Entries whose action (`POST /api/v1/stacks/:id/deploy`) contains this text. */
  operation?: string;
  /** Entries at or after this ISO time. */
  since?: string;
  /** Only entries about these stacks; undefined = every entry. */
  stackIds?: string[];
}

export class AuditStore {
  private readonly repo: Repository<AuditRecord>;

  constructor(private readonly db: Database) {
    this.repo = db.dataSource.getRepository(AuditEntity);
  }

  record(entry: Omit<AuditRecord, 'id'>): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.insert(entry);
    });
  }

  /** Newest first. */
  list(query: AuditQuery): Promise<AuditRecord[]> {
    const where: FindOptionsWhere<AuditRecord> = {};
    if (query.actor) where.actor = query.actor;
    if (query.target) where.target = query.target;
    // The route checks `operation` holds none of LIKE's wildcards (% and _).
    if (query.operation) where.action = Like(`%${query.operation}%`);
    if (query.since) where.at = MoreThanOrEqual(query.since);
    if (query.stackIds) {
      if (query.stackIds.length === 0) return Promise.resolve([]);
      where.stack_id = In(query.stackIds);
    }
    return this.repo.find({ where, order: { id: 'DESC' }, take: query.limit });
  }
}
