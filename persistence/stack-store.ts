import { In, type Repository } from 'typeorm';
import type { Database } from './database.ts';
import { StackEntity } from './entities/schemas.ts';
import type { StackRecord } from './entities/records.ts';

export class StackStore {
  private readonly repo: Repository<StackRecord>;

  constructor(private readonly db: Database) {
    this.repo = db.dataSource.getRepository(StackEntity);
  }

  list(): Promise<StackRecord[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  /** `idOrName` is a stack id or a stack name (docs/api.md: `{id}` accepts both). */
  async find(idOrName: string): Promise<StackRecord | null> {
    return (await this.repo.findOneBy({ id: idOrName })) ?? (await this.repo.findOneBy({ name: idOrName }));
  }

  findByName(name: string): Promise<StackRecord | null> {
    return this.repo.findOneBy({ name });
  }

  insert(stack: StackRecord): Promise<StackRecord> {
    return this.db.writes.run(async () => {
      await this.repo.insert(stack);
      return stack;
    });
  }

  /** Applies a partial update and stamps updated_at; returns the stored row. */
  update(id: string, patch: Partial<StackRecord>): Promise<StackRecord | null> {
    return this.db.writes.run(async () => {
      await this.repo.update({ id }, { ...patch, updated_at: new Date().toISOString() });
      return this.repo.findOneBy({ id });
    });
  }

  /** Status fields change on every transition; they do not count as an edit of the stack. */
  updateStatus(id: string, patch: Partial<StackRecord>): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.update({ id }, patch);
    });
  }

  /** One UPDATE for the timer cycles of a tick that found nothing to do: when they were checked. */
  stampReconciled(ids: string[], at: string): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.update({ id: In(ids) }, { last_reconciled_at: at });
    });
  }

  delete(id: string): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.delete({ id });
    });
  }
}
