import { EntitySchema } from 'typeorm';
import type {
  ApiKeyRecord, AuditRecord, DeploymentRecord, DriftReportRecord, SnapshotRecord, StackRecord, StackRegistryRecord,
  StackSecretRecord, TransitionRecord,
} from './records.ts';
import { NotificationChannelEntity, NotificationDeliveryEntity } from './notification-schemas.ts';
import { id, json, name, serial, text, time } from './columns.ts';

// EntitySchema instead of decorators: tsx/esbuild emits no decorator metadata. Every column
// has an explicit, portable type (no SQLite-only types), so PostgreSQL works by configuration.


export const StackEntity = new EntitySchema<StackRecord>({
  name: 'Stack',
  tableName: 'stacks',
  columns: {
    id, name: { ...name(), unique: true }, repo_url: text(), repo_branch: name(), repo_ref: name(true),
    compose_path: text(), service_filter: text(true), auto_deploy: { type: 'boolean' }, requires_approval: { type: 'boolean', default: false },
    reconcile_interval_seconds: { type: 'integer' }, repo_username: name(true),
    repo_token_sealed: text(true), repo_ssh_key_sealed: text(true), docker_registry: name(true),
    docker_username: name(true), docker_password_sealed: text(true), webhook_secret_sealed: text(true), repo_ssh_known_hosts: text(true),
    repo_ssh_strict_host_key_checking: { type: 'boolean', nullable: true }, variables: json(true), policy: json(true), paused: { type: 'boolean' },
    state: name(), sync_status: name(), health_status: name(), last_error: text(true),
    failed_commit: name(true), git_commit: name(true), last_deployed_at: time(true),
    last_reconciled_at: time(true), created_at: time(), updated_at: time(),
  },
});

export const DeploymentEntity = new EntitySchema<DeploymentRecord>({
  name: 'Deployment',
  tableName: 'deployments',
  columns: {
    id, stack_id: name(), stack_name: name(), status: name(), trigger: name(), git_commit: name(true),
    changes: json(), steps: json(), image_ids: json(), error_message: text(true),
    started_at: time(), completed_at: time(true),
  },
  indices: [{ name: 'idx_deployments_stack', columns: ['stack_id', 'started_at'] }, { name: 'idx_deployments_status', columns: ['status'] }],
});

export const TransitionEntity = new EntitySchema<TransitionRecord>({
  name: 'Transition',
  tableName: 'transitions',
  columns: {
    id: serial, stack_id: name(), from_state: name(), to_state: name(), event: name(), at: time(),
    deployment_id: name(true),
  },
  indices: [{ name: 'idx_transitions_stack', columns: ['stack_id', 'id'] }],
});

export const SnapshotEntity = new EntitySchema<SnapshotRecord>({
  name: 'ServiceSnapshot',
  tableName: 'service_snapshots',
  columns: {
    id: serial, deployment_id: name(), stack_id: name(), service: name(), container_name: name(),
    container_id: name(true), snapshot: json(), created_at: time(),
  },
  indices: [{ name: 'idx_snapshots_deployment', columns: ['deployment_id'] }, { name: 'idx_snapshots_stack', columns: ['stack_id'] }],
});

export const DriftReportEntity = new EntitySchema<DriftReportRecord>({
  name: 'DriftReport',
  tableName: 'drift_reports',
  columns: { id: serial, stack_id: name(), checked_at: time(), has_drift: { type: 'boolean' }, drifts: json() },
  indices: [{ name: 'idx_drift_stack', columns: ['stack_id', 'id'] }],
});

export const ApiKeyEntity = new EntitySchema<ApiKeyRecord>({
  name: 'ApiKey',
  tableName: 'api_keys',
  columns: {
    id, name: name(), key_hash: { ...name(), unique: true }, role: name(), stacks: json(true),
    stack_grants: json(true), disabled: { type: 'boolean', default: false },
    created_at: time(), last_used_at: time(true),
  },
});

export const AuditEntity = new EntitySchema<AuditRecord>({
  name: 'AuditEntry',
  tableName: 'audit_entries',
  columns: {
    id: serial, at: time(), actor: name(), action: name(), target: name(true), stack_id: { type: 'varchar', length: 36, nullable: true },
    outcome: name(), detail: text(true),
  },
  indices: [{ name: 'idx_audit_at', columns: ['at'] }, { name: 'idx_audit_stack', columns: ['stack_id', 'id'] }],
});

export const StackSecretEntity = new EntitySchema<StackSecretRecord>({
  name: 'StackSecret',
  tableName: 'stack_secrets',
  columns: {
    stack_id: { type: 'varchar', length: 36, primary: true }, name: { type: 'varchar', length: 128, primary: true },
    value_sealed: text(), created_at: time(), updated_at: time(),
  },
});

export const StackRegistryEntity = new EntitySchema<StackRegistryRecord>({
  name: 'StackRegistry',
  tableName: 'stack_registries',
  columns: {
    stack_id: { type: 'varchar', length: 36, primary: true }, server: { ...name(), primary: true }, username: name(),
    password_sealed: text(), created_at: time(), updated_at: time(),
  },
});

export interface WebhookDeliveryRecord {
  delivery_key: string;
  expires_at: string;
}

export const WebhookDeliveryEntity = new EntitySchema<WebhookDeliveryRecord>({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  columns: { delivery_key: { ...name(), primary: true }, expires_at: time() },
  indices: [{ name: 'idx_webhook_deliveries_expiry', columns: ['expires_at'] }],
});

export const allEntities = [
  StackEntity, DeploymentEntity, TransitionEntity, SnapshotEntity, DriftReportEntity, ApiKeyEntity, AuditEntity,
  StackSecretEntity, StackRegistryEntity, WebhookDeliveryEntity, NotificationChannelEntity, NotificationDeliveryEntity,
];
