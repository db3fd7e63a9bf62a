import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// What least privilege stores: a stack's plain interpolation variables and its deploy-policy
// exceptions (JSON columns on stacks), its sealed secrets and per-registry credentials (one
// row each), the stack an audit entry is about (so keys granted that stack may read it), and
// webhook delivery ids (replays are refused across restarts).

const stackColumns = [
  new TableColumn({ name: 'variables', type: 'text', isNullable: true }),
  new TableColumn({ name: 'policy', type: 'text', isNullable: true }),
];
const auditStack = new TableColumn({ name: 'stack_id', type: 'varchar', length: '36', isNullable: true });
const auditStackIndex = new TableIndex({ name: 'idx_audit_stack', columnNames: ['stack_id', 'id'] });

const time = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '40', isNullable });
const key = (name: string, length = '255') => ({ name, type: 'varchar', length, isPrimary: true });

const tables = [
  new Table({
    name: 'stack_secrets',
    columns: [key('stack_id', '36'), key('name', '128'), { name: 'value_sealed', type: 'text' }, time('created_at'), time('updated_at')],
  }),
  new Table({
    name: 'stack_registries',
    columns: [
      key('stack_id', '36'), key('server'), { name: 'username', type: 'varchar', length: '255' },
      { name: 'password_sealed', type: 'text' }, time('created_at'), time('updated_at'),
    ],
  }),
  new Table({
    name: 'webhook_deliveries',
    columns: [key('delivery_key', '255'), time('expires_at')],
    indices: [{ name: 'idx_webhook_deliveries_expiry', columnNames: ['expires_at'] }],
  }),
];

export class LeastPrivilege1796358573668 implements MigrationInterface {
  name = 'LeastPrivilege1796358573668';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('stacks', stackColumns);
    await queryRunner.addColumn('audit_entries', auditStack);
    await queryRunner.createIndex('audit_entries', auditStackIndex);
    for (const table of tables) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...tables].reverse()) await queryRunner.dropTable(table.name);
    await queryRunner.dropIndex('audit_entries', auditStackIndex.name!);
    await queryRunner.dropColumn('audit_entries', auditStack.name);
    for (const column of stackColumns) await queryRunner.dropColumn('stacks', column.name);
  }
}
