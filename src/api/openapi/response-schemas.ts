import { z } from 'zod';

// Shapes of the answers, for the OpenAPI document only (input is validated by the schemas in
// stack-schema.ts, auth/api-key-schema.ts and the routes; those are used there as they are).

const nullableText = z.string().nullable();
const time = z.string().describe('ISO-8601 timestamp');

const apiKey = z.object({
  id: z.string(), name: z.string(), role: z.enum(['none', 'viewer', 'operator', 'admin']), stacks: z.array(z.string()).nullable(),
  stack_grants: z.record(z.string(), z.enum(['viewer', 'operator'])).nullable(), disabled: z.boolean(),
  created_at: time, last_used_at: time.nullable(),
});

export const responseSchemas = {
  NotificationChannel: z.object({
    id: z.string(), name: z.string(), type: z.enum(['webhook', 'slack', 'discord', 'teams', 'email']), events: z.array(z.string()),
    stacks: z.array(z.string()).nullable(), host: z.string().describe('host[:port] of the URL or SMTP server; never its path or credentials'),
    has_secret: z.boolean(), from: nullableText, to: z.array(z.string()).nullable(), created_at: time, updated_at: time,
  }),
  NotificationDelivery: z.object({
    id: z.string(), channel_id: z.string(), event: z.string(), stack: z.object({ id: z.string(), name: z.string() }).nullable(),
    status: z.enum(['pending', 'delivered', 'failed']), attempts: z.number().int(), last_error: nullableText,
    next_attempt_at: time.nullable(), created_at: time, delivered_at: time.nullable(),
  }),
  Error: z.object({ error: z.string(), code: z.string(), field: z.string().optional() }),
  Status: z.object({ status: z.string() }),
  Readiness: z.object({ status: z.enum(['ok', 'not_ready', 'draining']), checks: z.object({ database: z.string(), docker: z.string() }) }),
  Stack: z.object({
    id: z.string(), name: z.string(), repo_url: z.string(), repo_username: nullableText, repo_branch: z.string(),
    repo_ref: nullableText, compose_path: z.string(), service_filter: nullableText, auto_deploy: z.boolean(), requires_approval: z.boolean(),
    reconcile_interval_seconds: z.number().int(), status: z.string(), state: z.string(), sync_status: z.string(),
    health_status: z.string(), paused: z.boolean(), last_error: nullableText, last_deployed_at: time.nullable(),
    last_reconciled_at: time.nullable(), git_commit: nullableText, created_at: time, updated_at: time,
    docker_registry: nullableText, docker_username: nullableText, has_repo_token: z.boolean(),
    has_repo_ssh_key: z.boolean(), has_docker_password: z.boolean(), has_webhook_secret: z.boolean(),
    repo_ssh_known_hosts: z.string().nullable(), repo_ssh_strict_host_key_checking: z.boolean().nullable(),
    last_deployment: z.object({
      id: z.string(), status: z.string(), trigger: z.string(), git_commit: nullableText, error_message: nullableText,
      started_at: time, completed_at: time.nullable(),
    }).nullable().describe('the newest deployment of the stack, null before the first'),
    variables: z.record(z.string(), z.string()).describe('plain variables ${VAR} sees (secrets are under …/secrets)'),
    policy: z.object({ allow: z.array(z.string()) }).describe('deploy-policy rules an admin allowed this stack'),
    dropped_credentials: z.array(z.string()).optional().describe('PUT only: credentials dropped because repo_url or docker_registry now names another host'),
    message: z.string().optional(),
  }),
  StackSecret: z.object({ name: z.string(), stack_id: z.string(), created_at: time, updated_at: time }),
  SecretStored: z.object({ name: z.string(), created: z.boolean() }),
  StackRegistry: z.object({ server: z.string(), username: z.string(), created_at: time, updated_at: time }),
  RegistryStored: z.object({ server: z.string(), username: z.string(), created: z.boolean() }),
  Deployment: z.object({
    id: z.string(), stack_id: z.string(), stack_name: z.string(),
    status: z.enum(['pending', 'awaiting_approval', 'in_progress', 'completed', 'failed', 'rolled_back', 'interrupted', 'skipped', 'rejected']),
    trigger: z.enum(['manual', 'webhook', 'reconcile', 'rollback']), git_commit: nullableText,
    changes: z.array(z.object({ service: z.string(), action: z.string(), from: nullableText, to: nullableText })),
    image_ids: z.record(z.string(), z.string()), error_message: nullableText, started_at: time, completed_at: time.nullable(),
    steps: z.array(z.object({ at: time, service: nullableText, step: z.string(), message: z.string() })).optional(),
  }),
  DeployAccepted: z.object({ status: z.literal('accepted'), stack_id: z.string(), deployment_id: z.string(), message: z.string() }),
  ApprovalAccepted: z.object({ status: z.literal('accepted'), deployment_id: z.string(), message: z.string() }),
  StackState: z.object({
    state: z.string(), sync_status: z.string(), health_status: z.string(), since: z.string().nullable(),
    last_error: nullableText, queued_events: z.array(z.string()), commit: nullableText, deployment_id: nullableText,
  }),
  Transition: z.object({
    id: z.number().int().describe('page on with ?before=<id>'), from: z.string(), to: z.string(), event: z.string(), at: time,
    deployment_id: nullableText,
  }),
  Supervisor: z.object({
    deploy_slots: z.object({ in_use: z.number().int(), limit: z.number().int(), waiting: z.number().int() }),
    stack_actors: z.object({ running: z.number().int(), busy: z.number().int(), restarted: z.number().int() }),
    parked: z.array(z.object({ stack_id: z.string(), stack_name: z.string(), error: z.string() })),
  }),
  Whoami: z.object({
    name: z.string(), role: z.enum(['none', 'viewer', 'operator', 'admin']), stacks: z.array(z.string()).nullable(),
    stack_grants: z.record(z.string(), z.enum(['none', 'viewer', 'operator', 'admin'])).nullable().describe('the role on each stack it reaches; null = every stack at its role'),
  }),
  ApiKey: apiKey,
  CreatedApiKey: apiKey.extend({ key: z.string().describe('acc_ + 64 hex; shown only in this answer'), message: z.string() }),
  AuditEntry: z.object({
    id: z.number().int(), at: time, actor: z.string(), action: z.string(), target: nullableText, stack_id: nullableText,
    outcome: z.enum(['success', 'denied', 'rejected', 'error']), detail: nullableText,
  }),
  WebhookAccepted: z.object({
    status: z.literal('accepted'), matched_stacks: z.array(z.string()),
    deployments: z.array(z.object({ stack_id: z.string(), stack_name: z.string(), deployment_id: z.string() })),
  }),
  WebhookAnswered: z.object({ status: z.enum(['ok', 'ignored']), event: z.string() }),
  Drift: z.object({
    stack_id: z.string(), stack_name: z.string(), checked_at: time, has_drift: z.boolean(),
    drifts: z.array(z.object({ service_name: z.string(), type: z.string(), expected: z.unknown(), actual: z.unknown(), message: z.string() }).loose()),
  }),
  Preview: z.object({
    stack_id: z.string(), stack_name: z.string(), checked_at: time, git_commit: nullableText.optional(), has_changes: z.boolean(),
    actions: z.array(z.object({
      service_name: z.string(), action: z.enum(['create', 'recreate', 'start', 'remove', 'none']), reason: z.string(),
      expected: z.unknown(), actual: z.unknown(), order: z.string(),
    }).loose()),
    policy_violations: z.array(z.object({ service_name: z.string().nullable(), field: z.string(), rule: z.string(), message: z.string() }))
      .describe('what the deploy policy denies: a deploy of this commit fails with these, changing nothing'),
  }),
  Container: z.object({
    id: z.string(), name: z.string(), image: z.string(), service: z.string(), replica: z.number().int(), state: z.string(),
    status: z.string(), health: z.string().nullable(), created_at: z.string(), ports: z.array(z.unknown()), labels: z.record(z.string(), z.string()),
  }).loose(),
  ContainerDetail: z.object({
    id: z.string(), name: z.string(), image: z.string(), service: z.string().nullable(), state: z.string(), status: z.string(),
    health: z.string().nullable(), created_at: z.string(), started_at: z.string().nullable(), finished_at: z.string().nullable(),
    exit_code: z.number().int().nullable(), cmd: z.array(z.string()), entrypoint: z.array(z.string()),
    env: z.array(z.string()).describe('KEY=value; values of names that look secret are [redacted]'), working_dir: z.string(), user: z.string(),
    restart_count: z.number().int(), restart_policy: z.string(), networks: z.array(z.string()),
    mounts: z.array(z.object({ type: z.string(), source: z.string(), target: z.string(), read_only: z.boolean() })),
  }),
  ContainerStats: z.object({
    container_id: z.string(), name: z.string(), read_at: z.string(),
    cpu: z.object({ percent: z.number(), online_cpus: z.number().int() }),
    memory: z.object({ usage_bytes: z.number(), limit_bytes: z.number(), percent: z.number() }),
    networks: z.record(z.string(), z.object({ rx_bytes: z.number(), tx_bytes: z.number() })),
    block_io: z.object({ read_bytes: z.number(), write_bytes: z.number() }), pids: z.number().int(),
  }),
  StatusSummary: z.object({
    stacks: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), last_deployed_at: nullableText, git_commit: nullableText })),
    total: z.number().int(),
  }),
  StackImage: z.object({ id: z.string(), tags: z.array(z.string()), size_bytes: z.number(), created_at: z.string(), stack: z.string(), used_by: z.array(z.string()) }),
  StackVolume: z.object({ name: z.string(), driver: z.string(), created_at: nullableText, anonymous: z.boolean(), stack: z.string(), used_by: z.array(z.string()) }),
  StackNetwork: z.object({ id: z.string(), name: z.string(), driver: z.string(), scope: z.string(), stack: z.string(), used_by: z.array(z.string()) }),
  RestartAccepted: z.object({ status: z.literal('accepted'), container_id: z.string() }),
  RollbackAccepted: z.object({
    status: z.literal('accepted'), stack_id: z.string(), deployment_id: z.string(), rollback_to: z.string(),
    git_commit: nullableText, message: z.string(),
  }),
  MachineDescription: z.record(z.string(), z.unknown()).describe('states and transitions of the stack machine'),
  ProviderPayload: z.record(z.string(), z.unknown()).describe("the provider's own push or ping payload"),
};

export type ResponseSchemaName = keyof typeof responseSchemas;
