import { z } from 'zod';
import { POLICY_RULE_NAMES, type PolicyRule } from '../policy/index.ts';

// The stack fields of docs/api.md, validated with zod. Unknown fields are rejected (`strict`), so a
// typo is a 400 that names it instead of a setting silently ignored.

/** An https URL with user info, or any URL with a password in it. `ssh://git@host` is fine. */
export function carriesCredentials(url: string): boolean {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/@]*)@/i.exec(url);
  if (!match) return false;
  const [, scheme, userInfo] = match;
  return /^https?$/i.test(scheme!) || userInfo!.includes(':');
}

export const STACK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const optionalText = (max = 4096) => z.string().max(max).nullable().optional();

/** Names `${VAR}` can refer to (stack variables and secrets). */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Stack secret names, as the Go Accelero has them. */
export const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;
export const SECRET_VALUE_MAX = 64 * 1024;

const variablesField = z.record(
  z.string().max(128).regex(VARIABLE_NAME, 'variable names are letters, digits and "_", not starting with a digit'),
  z.string().max(SECRET_VALUE_MAX),
).refine((vars) => Object.keys(vars).length <= 500, 'at most 500 variables').nullable().optional();

/** Deploy-policy exceptions; only an admin may set them (docs/api.md, Deploy policy). */
const policyField = z.object({ allow: z.array(z.enum(POLICY_RULE_NAMES as [PolicyRule, ...PolicyRule[]])).max(POLICY_RULE_NAMES.length) }).strict().nullable().optional();

export const stackFields = {
  name: z.string().regex(STACK_NAME_PATTERN, 'letters, digits, "_", "." or "-", starting with a letter or digit, at most 63 characters'),
  repo_url: z.string().min(1, 'must not be empty').max(2048).refine((url) => !carriesCredentials(url),
    'must not contain credentials (they would be stored and shown in plain text); use repo_username and repo_token'),
  compose_path: z.string().min(1).max(1024),
  repo_branch: z.string().min(1).max(255),
  repo_ref: optionalText(255),
  repo_username: optionalText(255),
  repo_token: optionalText(),
  repo_ssh_key: optionalText(32768),
  service_filter: optionalText(),
  auto_deploy: z.boolean(),
  /** Deploys wait in awaiting_approval for POST …/deployments/{id}/approve (rollbacks never do). */
  requires_approval: z.boolean(),
  reconcile_interval_seconds: z.number().int().refine((n) => n === 0 || (n >= 5 && n <= 86_400), 'must be 0 (on demand only) or between 5 and 86400'),
  docker_registry: optionalText(255),
  docker_username: optionalText(255),
  docker_password: optionalText(),
  /** This stack's own webhook secret; overrides WEBHOOK_SECRET for its webhooks. */
  webhook_secret: optionalText(255),
  repo_ssh_known_hosts: optionalText(65536),
  repo_ssh_strict_host_key_checking: z.boolean().nullable().optional(),
  /** Plain variables `${VAR}` sees, over the repository's `.env`; readable by viewers (use secrets for secrets). */
  variables: variablesField,
  policy: policyField,
};

export const createStackSchema = z
  .object({
    ...stackFields,
    compose_path: stackFields.compose_path.default('docker-compose.yaml'),
    repo_branch: stackFields.repo_branch.default('main'),
    auto_deploy: stackFields.auto_deploy.default(true),
    requires_approval: stackFields.requires_approval.default(false),
    reconcile_interval_seconds: stackFields.reconcile_interval_seconds.default(60),
  })
  .strict();

export const updateStackSchema = z.object(stackFields).partial().strict();

export type CreateStackInput = z.infer<typeof createStackSchema>;
export type UpdateStackInput = z.infer<typeof updateStackSchema>;

export const secretBodySchema = z.object({
  name: z.string().min(1).max(128).regex(SECRET_NAME, 'upper-case letters, digits and "_", not starting with a digit'),
  value: z.string().max(SECRET_VALUE_MAX),
}).strict();

/** `host[:port]` of a registry, e.g. `registry.example:5000` or `docker.io`. */
export const REGISTRY_SERVER = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?$/;

export const registryBodySchema = z.object({
  server: z.string().max(260).regex(REGISTRY_SERVER, 'a registry host with an optional port, e.g. registry.example:5000'),
  username: z.string().min(1).max(255),
  password: z.string().min(1).max(SECRET_VALUE_MAX),
}).strict();
