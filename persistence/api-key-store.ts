import type { Repository } from 'typeorm';
import type { Database } from './database.ts';
import { ApiKeyEntity } from './entities/schemas.ts';
import type { ApiKeyRecord } from './entities/records.ts';

// Stored API keys. Only the SHA-256 of a key is kept (`key_hash`); the key itself is shown once
// at creation and never stored.

export class ApiKeyStore {
  private readonly repo: Repository<ApiKeyRecord>;

  constructor(private readonly db: Database) {
    this.repo = db.dataSource.getRepository(ApiKeyEntity);
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.repo.find({ order: { created_at: 'ASC', name: 'ASC' } });
  }

  get(id: string): Promise<ApiKeyRecord | null> {
    return this.repo.findOneBy({ id });
  }

  findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.repo.findOneBy({ key_hash: keyHash });
  }

  insert(key: ApiKeyRecord): Promise<ApiKeyRecord> {
    return this.db.writes.run(async () => {
      await this.repo.insert(key);
      return key;
    });
  }

  touch(id: string, at: string): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.update({ id }, { last_used_at: at });
    });
  }

  /** Switches a key off (refused with 401) or on again; returns the stored row. */
  setDisabled(id: string, disabled: boolean): Promise<ApiKeyRecord> {
    return this.db.writes.run(async () => {
      await this.repo.update({ id }, { disabled });
      return (await this.repo.findOneBy({ id }))!;
    });
  }

  delete(id: string): Promise<void> {
    return this.db.writes.run(async () => {
      await this.repo.delete({ id });
    });
  }
}
