import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../ormconfig.ts';
import { WriteQueue } from './write-queue.ts';

export interface Database {
  dataSource: DataSource;
  writes: WriteQueue;
  close(): Promise<void>;
}

/** Opens (creating the directory and file if needed) and migrates the database. */
export async function openDatabase(databasePath: string): Promise<Database> {
  if (databasePath !== ':memory:') await mkdir(dirname(databasePath), { recursive: true });
  const dataSource = new DataSource(dataSourceOptions(databasePath));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const writes = new WriteQueue();
  return {
    dataSource,
    writes,
    async close() {
      await writes.drain();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
