import type { Repository } from 'typeorm';
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


  listForStack(stackId: string, limit = 100): Promise<TransitionRecord[]> {
    return this.repo.find({ where: { stack_id: stackId }, order: { id: 'DESC' }, take: limit });
  }
}
