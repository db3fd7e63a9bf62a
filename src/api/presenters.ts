import type { DeploymentRecord, StackRecord } from '../../persistence/entities/records.ts';
import type { StackStateView } from '../../actors/supervisor.ts';
import type { DriftItem, PlannedAction, StackContainer } from '../docker/index.ts';
import { describeViolation, type PolicyViolation } from '../policy/index.ts';

/** The stack object of docs/api.md. Secrets are never returned, only whether they are set. */
export function presentStack(stack: StackRecord, live?: StackStateView, last: DeploymentRecord | null = null) {
  return {
    id: stack.id,
    name: stack.name,
    repo_url: stack.repo_url,
    repo_username: stack.repo_username,
    repo_branch: stack.repo_branch,
    repo_ref: stack.repo_ref,
    compose_path: stack.compose_path,
    service_filter: stack.service_filter,
    auto_deploy: stack.auto_deploy,
    requires_approval: stack.requires_approval ?? false,
    reconcile_interval_seconds: stack.reconcile_interval_seconds,
    status: stack.paused ? 'paused' : (live?.state ?? stack.state),
    state: live?.state ?? stack.state,
    sync_status: live?.sync_status ?? stack.sync_status,
    health_status: live?.health_status ?? stack.health_status,
    paused: stack.paused,
    last_error: live?.last_error ?? stack.last_error,
    last_deployed_at: stack.last_deployed_at,
    last_reconciled_at: stack.last_reconciled_at,
    git_commit: stack.git_commit,
    created_at: stack.created_at,
    updated_at: stack.updated_at,
    docker_registry: stack.docker_registry,
    docker_username: stack.docker_username,
    has_repo_token: stack.repo_token_sealed !== null,
    has_repo_ssh_key: stack.repo_ssh_key_sealed !== null,
    has_docker_password: stack.docker_password_sealed !== null,
    has_webhook_secret: Boolean(stack.webhook_secret_sealed),
    repo_ssh_known_hosts: stack.repo_ssh_known_hosts ?? null,
    repo_ssh_strict_host_key_checking: stack.repo_ssh_strict_host_key_checking ?? null,
    variables: stack.variables ?? {},
    policy: stack.policy ?? { allow: [] },
    last_deployment: last ? presentLastDeployment(last) : null,
  };
}

/** The newest deployment of a stack, as the stack object carries it (no changes or steps). */
function presentLastDeployment(d: DeploymentRecord) {
  return {
    id: d.id, status: d.status, trigger: d.trigger, git_commit: d.git_commit, error_message: d.error_message,
    started_at: d.started_at, completed_at: d.completed_at,
  };
}

/** The deployment object of docs/api.md; `steps` only in the single-deployment view. */
export function presentDeployment(d: DeploymentRecord, withSteps = false) {
  return {
    id: d.id,
    stack_id: d.stack_id,
    stack_name: d.stack_name,
    status: d.status,
    trigger: d.trigger,
    git_commit: d.git_commit,
    changes: d.changes,
    image_ids: d.image_ids,
    error_message: d.error_message,
    started_at: d.started_at,
    completed_at: d.completed_at,
    ...(withSteps ? { steps: d.steps } : {}),
  };
}

/** A drift item of docs/api.md (`GET …/drift`). */
export function presentDrift(d: DriftItem) {
  return { service_name: d.service, type: d.kind, expected: d.expected, actual: d.actual, message: d.message };
}

/** A planned action of docs/api.md (`POST …/preview`). */
export function presentAction(a: PlannedAction) {
  return { service_name: a.service, action: a.action, reason: a.reason, expected: a.expected, actual: a.actual, order: a.order };
}

/** A container of docs/api.md (`GET …/containers`). */
export function presentContainer(c: StackContainer) {
  return {
    id: c.id, name: c.name, image: c.image, service: c.service, replica: c.number, state: c.state,
    status: c.statusText, health: c.health, created_at: c.createdAt, labels: c.labels,
    ports: c.ports.map((p) => ({ private_port: p.privatePort, public_port: p.publicPort, ip: p.ip, type: p.type })),
  };
}

/** A deploy-policy violation (`POST …/preview`). */
export function presentViolation(v: PolicyViolation) {
  return { service_name: v.service, field: v.field, rule: v.rule, message: describeViolation(v) };
}
