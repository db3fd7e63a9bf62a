import { z } from 'zod';

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
  reconcile_interval_seconds: z.number().int().refine((n) => n === 0 || (n >= 5 && n <= 86_400), 'must be 0 (on demand only) or between 5 and 86400'),
  docker_registry: optionalText(255),
  docker_username: optionalText(255),
  docker_password: optionalText(),
  /** This stack's own webhook secret; overrides WEBHOOK_SECRET for its webhooks. */
  webhook_secret: optionalText(255),
  repo_ssh_known_hosts: optionalText(65536),
  repo_ssh_strict_host_key_checking: z.boolean().nullable().optional(),
};

export const createStackSchema = z
  .object({
    ...stackFields,
    compose_path: stackFields.compose_path.default('docker-compose.yaml'),
    repo_branch: stackFields.repo_branch.default('main'),
    auto_deploy: stackFields.auto_deploy.default(true),
    reconcile_interval_seconds: stackFields.reconcile_interval_seconds.default(60),
  })
  .strict();

export const updateStackSchema = z.object(stackFields).partial().strict();

export type CreateStackInput = z.infer<typeof createStackSchema>;
export type UpdateStackInput = z.infer<typeof updateStackSchema>;
