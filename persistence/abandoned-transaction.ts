import type { DataSource, QueryRunner } from 'typeorm';

// TypeORM on sqlite3 runs every query through one shared QueryRunner. When SQLite rolls a
// transaction back by itself (it may, on SQLITE_FULL, SQLITE_IOERR or SQLITE_BUSY), TypeORM's
// own ROLLBACK then fails and the runner keeps believing a transaction is open: later
// transactions become savepoints and later plain writes would land in a transaction that is
// never committed. After a failed write this puts SQLite and the runner back in step.

export async function clearAbandonedTransaction(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'sqlite' || !dataSource.isInitialized) return;
  const runner = (dataSource.driver as unknown as { queryRunner?: QueryRunner }).queryRunner;
  if (!runner?.isTransactionActive) return;
  try {
    await runner.query('ROLLBACK');
  } catch {
    // "no transaction is active": SQLite had already rolled it back.
  }
  Object.assign(runner, { isTransactionActive: false, transactionDepth: 0 });
}
