import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// Stacks whose deploys wait for an operator's approval (`requires_approval`), as the Go
// Accelero's have. Existing stacks deploy as before (false). Deployments need no column: their
// status gains `awaiting_approval` and `rejected`, plain text in the same column.

const column = new TableColumn({ name: 'requires_approval', type: 'boolean', isNullable: false, default: false });

export class StackApprovals1796600000000 implements MigrationInterface {
  name = 'StackApprovals1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('stacks', column);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('stacks', column.name);
  }
}
