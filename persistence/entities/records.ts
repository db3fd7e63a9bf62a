import type { DriftItem, ServiceSnapshot } from '../../src/docker/types.ts';

// Row shapes as plain data. Timestamps are ISO-8601 strings so the same rows (and the JSON
// the API returns) look alike on SQLite and PostgreSQL.

export interface StackRecord {
  id: string;
  name: string;
  repo_url: string;
  repo_branch: string;
  repo_ref: string | null;
  compose_path: string;
  service_filter: string | null;
  auto_deploy: boolean;
  /** Deploys (not rollbacks) wait in awaiting_approval for an operator's approve or reject. */
  requires_approval: boolean;
  reconcile_interval_seconds: number;
  repo_username: string | null;
  /** AES-256-GCM sealed secrets; never returned by the API. */
  repo_token_sealed: string | null;
  repo_ssh_key_sealed: string | null;
  docker_registry: string | null;
  docker_username: string | null;
  docker_password_sealed: string | null;
  /** The stack's own webhook secret, sealed; overrides WEBHOOK_SECRET for this stack. */
  webhook_secret_sealed?: string | null;
  /** known_hosts text for an SSH repository; when set, host keys are checked strictly. */
  repo_ssh_known_hosts?: string | null;
  /** Without known_hosts: false accepts an unknown host on first use (default), true refuses it. */
  repo_ssh_strict_host_key_checking?: boolean | null;
  /** Plain variables `${VAR}` sees (docs/api.md, Stack fields); null = none. */
  variables?: Record<string, string> | null;
  /** Deploy-policy exceptions an admin allowed this stack; null = the defaults. */
  policy?: StackPolicy | null;
  paused: boolean;
  state: string;
  sync_status: string;
  health_status: string;
  last_error: string | null;
  /** A commit whose deploy was rolled back; auto-deploy skips it until git moves on. */
  failed_commit: string | null;
  git_commit: string | null;
  last_deployed_at: string | null;
  last_reconciled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StackPolicy {
  /** Rule names of src/policy that this stack may break. */
  allow: string[];
}

/** A stack secret: seen by `${VAR}` like a variable, stored sealed, never answered. */
export interface StackSecretRecord {
  stack_id: string;
  name: string;
  value_sealed: string;
  created_at: string;
  updated_at: string;
}

/** Credentials of one registry for one stack; sent only to that registry. */
export interface StackRegistryRecord {
  stack_id: string;
  server: string;
  username: string;
  password_sealed: string;
  created_at: string;
  updated_at: string;
}

/** `skipped`: the request ended without deploying (stack paused, auto_deploy off, coalesced into another deployment). */
/** `awaiting_approval`: planned (changes, git_commit), waiting for approve; `rejected`: an operator said no. */
export type DeploymentStatus = 'pending' | 'awaiting_approval' | 'in_progress' | 'completed' | 'failed' | 'rolled_back' | 'interrupted' | 'skipped' | 'rejected';
export type DeploymentTrigger = 'manual' | 'webhook' | 'reconcile' | 'rollback';

export interface DeploymentChange {
  service: string;
  action: string;
  from: string | null;
  to: string | null;
}

export interface DeploymentStep {
  at: string;
  service: string | null;
  step: string;
  message: string;
}

export interface DeploymentRecord {
  id: string;
  stack_id: string;
  stack_name: string;
  status: DeploymentStatus;
  trigger: DeploymentTrigger;
  git_commit: string | null;
  changes: DeploymentChange[];
  steps: DeploymentStep[];
  image_ids: Record<string, string>;
  error_message: string | null;
  started_at: string;
  completed_at: string | null;
}

export interface TransitionRecord {
  id?: number;
  stack_id: string;
  from_state: string;
  to_state: string;
  event: string;
  at: string;
  deployment_id: string | null;
}

export interface SnapshotRecord {
  id?: number;
  deployment_id: string;
  stack_id: string;
  service: string;
  container_name: string;
  container_id: string | null;
  snapshot: ServiceSnapshot;
  created_at: string;
}

export interface DriftReportRecord {
  id?: number;
  stack_id: string;
  checked_at: string;
  has_drift: boolean;
  drifts: DriftItem[];
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  key_hash: string;
  role: 'none' | 'viewer' | 'operator' | 'admin';
  stacks: string[] | null;
  /** A role per stack (id or name); the key reaches only these stacks, each with its role. */
  stack_grants?: Record<string, 'viewer' | 'operator'> | null;
  /** A disabled key is refused (401) until an admin enables it again. */
  disabled?: boolean;
  created_at: string;
  last_used_at: string | null;
}

export interface AuditRecord {
  id?: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  /** The stack the entry is about, when there is one: keys granted it may read the entry. */
  stack_id?: string | null;
  outcome: string;
  detail: string | null;
}
