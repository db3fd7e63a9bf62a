import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// API keys with a role per stack (`stack_grants`, JSON `{stack: role}`) and keys an admin can
// switch off without deleting them (`disabled`), as the Go Accelero's keys have.

const columns = [
  new TableColumn({ name: 'stack_grants', type: 'text', isNullable: true }),
  new TableColumn({ name: 'disabled', type: 'boolean', isNullable: false, default: false }),
];

export class ApiKeyGrants1796500000000 implements MigrationInterface {
  name = 'ApiKeyGrants1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('api_keys', columns);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of columns) await queryRunner.dropColumn('api_keys', column.name);
  }
}
