import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// Notification channels (credentials sealed in `secrets_sealed`) and their deliveries, one row
// per event and channel with every attempt counted; pending rows are resumed at start.

const channels = new Table({
  name: 'notification_channels',
  columns: [
    { name: 'id', type: 'varchar', length: '36', isPrimary: true },
    { name: 'name', type: 'varchar', length: '255', isUnique: true },
    { name: 'type', type: 'varchar', length: '255' },
    { name: 'events', type: 'text' },
    { name: 'stacks', type: 'text', isNullable: true },
    { name: 'secrets_sealed', type: 'text' },
    { name: 'settings', type: 'text' },
    { name: 'created_at', type: 'varchar', length: '40' },
    { name: 'updated_at', type: 'varchar', length: '40' },
  ],
});

const deliveries = new Table({
  name: 'notification_deliveries',
  columns: [
    { name: 'id', type: 'varchar', length: '36', isPrimary: true },
    { name: 'channel_id', type: 'varchar', length: '255' },
    { name: 'event', type: 'varchar', length: '255' },
    { name: 'stack_id', type: 'varchar', length: '255', isNullable: true },
    { name: 'stack_name', type: 'varchar', length: '255', isNullable: true },
    { name: 'payload', type: 'text' },
    { name: 'status', type: 'varchar', length: '255' },
    { name: 'attempts', type: 'integer' },
    { name: 'last_error', type: 'text', isNullable: true },
    { name: 'next_attempt_at', type: 'varchar', length: '40', isNullable: true },
    { name: 'created_at', type: 'varchar', length: '40' },
    { name: 'delivered_at', type: 'varchar', length: '40', isNullable: true },
  ],
  indices: [
    new TableIndex({ name: 'idx_notification_deliveries_channel', columnNames: ['channel_id', 'created_at'] }),
    new TableIndex({ name: 'idx_notification_deliveries_status', columnNames: ['status'] }),
  ],
});

export class Notifications1796650000000 implements MigrationInterface {
  name = 'Notifications1796650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(channels, true);
    await queryRunner.createTable(deliveries, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_deliveries', true);
    await queryRunner.dropTable('notification_channels', true);
  }
}
