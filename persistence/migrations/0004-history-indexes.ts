import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// Indexes the retention sweep and stack deletion need: audit entries are pruned by age, and a
// deleted stack's snapshots are found by stack (not only through its deployments).

const indexes: Array<[table: string, index: TableIndex]> = [
  ['audit_entries', new TableIndex({ name: 'idx_audit_at', columnNames: ['at'] })],
  ['service_snapshots', new TableIndex({ name: 'idx_snapshots_stack', columnNames: ['stack_id'] })],
];

export class HistoryIndexes1764400000000 implements MigrationInterface {
  name = 'HistoryIndexes1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, index] of indexes) await queryRunner.createIndex(table, index);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, index] of [...indexes].reverse()) await queryRunner.dropIndex(table, index.name!);
  }
}
