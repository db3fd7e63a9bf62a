import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// A stack's own webhook secret (AES-256-GCM sealed like repo_token); it overrides
// WEBHOOK_SECRET for that stack's webhooks. Null = the global secret applies.

const column = new TableColumn({ name: 'webhook_secret_sealed', type: 'text', isNullable: true });

export class StackWebhookSecret1764200000000 implements MigrationInterface {
  name = 'StackWebhookSecret1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('stacks', column);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('stacks', column.name);
  }
}
