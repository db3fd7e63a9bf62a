import sqlite3 from 'sqlite3';
import type { DataSourceOptions } from 'typeorm';
import { allEntities } from './persistence/entities/schemas.ts';
import { InitialSchema1764144000000 } from './persistence/migrations/0001-initial-schema.ts';
import { StackWebhookSecret1764200000000 } from './persistence/migrations/0002-stack-webhook-secret.ts';
import { StackSshHostKeys1764300000000 } from './persistence/migrations/0003-stack-ssh-host-keys.ts';
import { HistoryIndexes1764400000000 } from './persistence/migrations/0004-history-indexes.ts';
import { LeastPrivilege1796358573668 } from './persistence/migrations/0005-least-privilege.ts';
import { ApiKeyGrants1796500000000 } from './persistence/migrations/0006-api-key-grants.ts';
import { StackApprovals1796600000000 } from './persistence/migrations/0007-stack-approvals.ts';
import { Notifications1796650000000 } from './persistence/migrations/0008-notifications.ts';

// The DataSource options of Accelero. SQLite is the embedded default; the entities and
// migrations are portable, so a PostgreSQL DataSource only changes this object.
/**
 * sqlite3 as TypeORM gets it, with `verbose()` answering the module itself: TypeORM calls
 * verbose() on its driver, which wraps every statement call to capture a stack and
 * util.inspect its arguments. That was the biggest part of what an idle reconcile cycle cost
 * the daemon's thread (bench/idle-stacks.ts profile); errors keep their SQLite codes.
 */
const quietSqlite3 = { ...sqlite3, verbose: () => quietSqlite3 };

export function dataSourceOptions(databasePath: string, tuning: { busyTimeoutMs?: number } = {}): DataSourceOptions {
  return {
    type: 'sqlite',
    driver: quietSqlite3,
    database: databasePath,
    entities: allEntities,
    migrations: [InitialSchema1764144000000, StackWebhookSecret1764200000000, StackSshHostKeys1764300000000, HistoryIndexes1764400000000, LeastPrivilege1796358573668, ApiKeyGrants1796500000000, StackApprovals1796600000000, Notifications1796650000000],
    migrationsRun: false,
    synchronize: false,
    // WAL lets the API read while a deploy writes; the busy timeout rides out the rare
    // overlap with an external writer (backup, sqlite3 shell) instead of failing. A lock held
    // longer surfaces as SQLITE_BUSY: the write queue retries it with a bound and reports it
    // (TypeORM's busyErrorRetry would retry forever, silently, with the queue stuck behind it).
    enableWAL: true,
    busyTimeout: tuning.busyTimeoutMs ?? 5000,
    logging: false,
  } as DataSourceOptions;
}

export default dataSourceOptions(process.env.DATABASE_PATH || './data/accelero.db');
