import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

// Written with TypeORM's portable Table API (not raw SQL) so it runs on SQLite and PostgreSQL.
// A migration is a frozen record of the schema at that point: later changes get new migrations.

const str = (name: string, nullable = false, length = 255): TableColumnOptions =>
  ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const txt = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const time = (name: string, nullable = false) => str(name, nullable, 40);
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean' });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });
const uuid: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const serial: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };

const tables = [
  new Table({
    name: 'stacks',
    columns: [
      uuid, { ...str('name'), isUnique: true }, txt('repo_url'), str('repo_branch'), str('repo_ref', true),
      txt('compose_path'), txt('service_filter', true), bool('auto_deploy'), int('reconcile_interval_seconds'),
      str('repo_username', true), txt('repo_token_sealed', true), txt('repo_ssh_key_sealed', true),
      str('docker_registry', true), str('docker_username', true), txt('docker_password_sealed', true),
      bool('paused'), str('state'), str('sync_status'), str('health_status'), txt('last_error', true),
      str('failed_commit', true), str('git_commit', true), time('last_deployed_at', true),
      time('last_reconciled_at', true), time('created_at'), time('updated_at'),
    ],
  }),
  new Table({
    name: 'deployments',
    columns: [
      uuid, str('stack_id'), str('stack_name'), str('status'), str('trigger'), str('git_commit', true),
      txt('changes'), txt('steps'), txt('image_ids'), txt('error_message', true), time('started_at'),
      time('completed_at', true),
    ],
    indices: [
      new TableIndex({ name: 'idx_deployments_stack', columnNames: ['stack_id', 'started_at'] }),
      new TableIndex({ name: 'idx_deployments_status', columnNames: ['status'] }),
    ],
  }),
  new Table({
    name: 'transitions',
    columns: [serial, str('stack_id'), str('from_state'), str('to_state'), str('event'), time('at'), str('deployment_id', true)],
    indices: [new TableIndex({ name: 'idx_transitions_stack', columnNames: ['stack_id', 'id'] })],
  }),
  new Table({
    name: 'service_snapshots',
    columns: [
      serial, str('deployment_id'), str('stack_id'), str('service'), str('container_name'),
      str('container_id', true), txt('snapshot'), time('created_at'),
    ],
    indices: [new TableIndex({ name: 'idx_snapshots_deployment', columnNames: ['deployment_id'] })],
  }),
  new Table({
    name: 'drift_reports',
    columns: [serial, str('stack_id'), time('checked_at'), bool('has_drift'), txt('drifts')],
    indices: [new TableIndex({ name: 'idx_drift_stack', columnNames: ['stack_id', 'id'] })],
  }),
  new Table({
    name: 'api_keys',
    columns: [
      uuid, str('name'), { ...str('key_hash'), isUnique: true }, str('role'), txt('stacks', true),
      time('created_at'), time('last_used_at', true),
    ],
  }),
  new Table({
    name: 'audit_entries',
    columns: [serial, time('at'), str('actor'), str('action'), str('target', true), str('outcome'), txt('detail', true)],
  }),
];

export class InitialSchema1764144000000 implements MigrationInterface {
  name = 'InitialSchema1764144000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables) await queryRunner.createTable(table, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...tables].reverse()) await queryRunner.dropTable(table.name, true);
  }
}
