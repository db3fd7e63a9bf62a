import type { EntitySchema, Repository } from 'typeorm';
import type { Database } from './database.ts';
import { StackRegistryEntity, StackSecretEntity } from './entities/schemas.ts';
import type { StackRegistryRecord, StackSecretRecord } from './entities/records.ts';

// Rows a stack owns by a name of their own: its secrets (by name) and its registry credentials
// (by server). Values arrive sealed; this store never sees a plaintext secret.

interface KeyedRow {
  stack_id: string;
  created_at: string;
  updated_at: string;
}

export class StackKeyedStore<T extends KeyedRow, K extends keyof T & string> {
  private readonly repo: Repository<T>;

  constructor(private readonly db: Database, entity: EntitySchema<T>, private readonly key: K) {
    this.repo = db.dataSource.getRepository(entity);
  }

  /** By key, in order. */
  list(stackId: string): Promise<T[]> {
    return this.repo.find({ where: { stack_id: stackId } as never, order: { [this.key]: 'ASC' } as never });
  }

  /** Inserts or replaces the row; true when it is new. */
  put(row: Omit<T, 'created_at' | 'updated_at'>): Promise<{ created: boolean; row: T }> {
    return this.db.writes.run(() => this.db.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository<T>(this.repo.target);
      const where = { stack_id: row.stack_id, [this.key]: (row as Record<string, unknown>)[this.key] } as never;
      const existing = await repo.findOneBy(where);
      const now = new Date().toISOString();
      const stored = { ...row, created_at: existing?.created_at ?? now, updated_at: now } as unknown as T;
      if (existing) await repo.update(where, stored as never);
      else await repo.insert(stored as never);
      return { created: !existing, row: stored };
    }));
  }

  /** True when there was such a row. */
  remove(stackId: string, key: string): Promise<boolean> {
    return this.db.writes.run(async () => {
      const result = await this.repo.delete({ stack_id: stackId, [this.key]: key } as never);
      return (result.affected ?? 0) > 0;
    });
  }
}

export type StackSecretStore = StackKeyedStore<StackSecretRecord, 'name'>;
export type StackRegistryStore = StackKeyedStore<StackRegistryRecord, 'server'>;

export const openStackSecretStore = (db: Database): StackSecretStore => new StackKeyedStore(db, StackSecretEntity, 'name');
export const openStackRegistryStore = (db: Database): StackRegistryStore => new StackKeyedStore(db, StackRegistryEntity, 'server');
