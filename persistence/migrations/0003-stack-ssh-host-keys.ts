import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// How a stack's SSH repository host is checked: a known_hosts text (checked strictly), and
// whether an unknown host may be accepted on first use when none is given.

const columns = [
  new TableColumn({ name: 'repo_ssh_known_hosts', type: 'text', isNullable: true }),
  new TableColumn({ name: 'repo_ssh_strict_host_key_checking', type: 'boolean', isNullable: true }),
];

export class StackSshHostKeys1764300000000 implements MigrationInterface {
  name = 'StackSshHostKeys1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('stacks', columns);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of columns) await queryRunner.dropColumn('stacks', column.name);
  }
}
