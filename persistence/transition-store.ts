import { LessThan, type Repository } from 'typeorm';
import type { Database } from './database.ts';
import { TransitionEntity } from './entities/schemas.ts';
import type { TransitionRecord } from './entities/records.ts';

export class TransitionStore {
  private readonly repo: Repository<TransitionRecord>;

  constructor(private readonly db: Database) {
    this.repo = db.dataSource.getRepository(TransitionEntity);
  }

  /** Appends in call order: the write queue keeps the ids in the order transitions happened. */
  append(transition: TransitionRecord): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.insert(transition);
    });
  }

  /** Newest first; `beforeId` pages on from the oldest transition of the previous page. */
  listForStack(stackId: string, limit = 100, beforeId?: number): Promise<TransitionRecord[]> {
    const where = beforeId === undefined ? { stack_id: stackId } : { stack_id: stackId, id: LessThan(beforeId) };
    return this.repo.find({ where, order: { id: 'DESC' }, take: limit });
  }
}
