import { normaliseProjectName } from '../src/compose/index.ts';
import type { ComposeLoader, ComposeProject } from '../src/compose/types.ts';
import type { SourceRevision } from '../src/git/index.ts';
import type { SecretBox } from '../src/secrets/index.ts';
import type { StackRecord } from '../persistence/entities/records.ts';
import type { SourceSpec } from '../src/git/types.ts';
import type { DockerEngine, RegistryAuth, StackDiff } from '../src/docker/index.ts';
import type { StackRegistryStore, StackSecretStore } from '../persistence/stack-keyed-store.ts';
import { PolicyViolationError, type DeployPolicy, type PolicyViolation } from '../src/policy/index.ts';

// How a stack row becomes the inputs of git, compose and Docker. One place, so the stack
// actor's steps and the read-only views (drift, preview) read a stack the same way.

export function sourceSpecOf(stack: StackRecord, secrets: SecretBox): SourceSpec {
  return {
    stack: stack.name,
    url: stack.repo_url,
    branch: stack.repo_branch,
    ref: stack.repo_ref ?? undefined,
    composePath: stack.compose_path,
    credentials: {
      username: stack.repo_username ?? undefined,
      token: stack.repo_token_sealed ? secrets.decrypt(stack.repo_token_sealed) : undefined,
      sshPrivateKey: stack.repo_ssh_key_sealed ? secrets.decrypt(stack.repo_ssh_key_sealed) : undefined,
      sshKnownHosts: stack.repo_ssh_known_hosts ?? undefined,
      strictHostKeyChecking: stack.repo_ssh_strict_host_key_checking ?? undefined,
    },
  };
}

export function serviceFilterOf(stack: StackRecord): string[] {
  return (stack.service_filter ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** What a stack's environment and registry credentials are read from. */
export interface StackConfigDeps {
  secrets: SecretBox;
  stackSecrets: Pick<StackSecretStore, 'list'>;
  stackRegistries: Pick<StackRegistryStore, 'list'>;
  /** The daemon variables ACCELERO_PASS_ENV names, with their values; compose sees no others. */
  passEnv: Record<string, string>;
}

/**
 * The stack's registry credentials: the `docker_*` fields and each `…/registries` entry. Every
 * one names its registry, and the Docker layer sends it only to that registry (credentialsFor).
 */
export async function registryAuthOf(deps: StackConfigDeps, stack: StackRecord): Promise<RegistryAuth[]> {
  const auths: RegistryAuth[] = (await deps.stackRegistries.list(stack.id)).map((r) => ({
    registry: r.server, username: r.username, password: deps.secrets.decrypt(r.password_sealed),
  }));
  if (stack.docker_username || stack.docker_password_sealed) {
    auths.push({
      registry: stack.docker_registry ?? undefined,
      username: stack.docker_username ?? undefined,
      password: stack.docker_password_sealed ? deps.secrets.decrypt(stack.docker_password_sealed) : undefined,
    });
  }
  return auths;
}

/**
 * The environment `${VAR}` and bare `environment: [VAR]` entries see, over the repository's
 * `.env` as a shell's environment is for `docker compose up`: the variables ACCELERO_PASS_ENV
 * lets through, then the stack's variables, then its secrets. Nothing else of the daemon's.
 */
export async function stackEnvironment(deps: StackConfigDeps, stack: StackRecord): Promise<Record<string, string>> {
  const secrets = await deps.stackSecrets.list(stack.id);
  return {
    ...deps.passEnv,
    ...(stack.variables ?? {}),
    ...Object.fromEntries(secrets.map((secret) => [secret.name, deps.secrets.decrypt(secret.value_sealed)])),
  };
}

/** What git's desired state is read and compared with: shared by the stack's steps and the read-only views. */
export interface DesiredStateDeps extends StackConfigDeps {
  compose: ComposeLoader;
  engine: DockerEngine;
  policy: Pick<DeployPolicy, 'violations'>;
}

export interface DiffOptions {
  pull?: boolean;
  pinnedImageIds?: Record<string, string>;
  /** A timer's cycle: the engine's lists are shared with the stacks that read in the same tick. */
  sharedRead?: boolean;
  /** `enforce` (a deploy cycle): a violation fails before the engine is asked anything. `report` (preview): it is returned. */
  policy: 'enforce' | 'report';
}

/** The compose project of an exported revision, named after the stack, and how the engine differs from it. */
export async function diffDesiredState(
  deps: DesiredStateDeps, stack: StackRecord, revision: SourceRevision, { policy, ...options }: DiffOptions,
): Promise<{ project: ComposeProject; diff: StackDiff; violations: PolicyViolation[] }> {
  const project = await deps.compose.load({
    projectDir: revision.directory,
    composePath: stack.compose_path,
    projectName: normaliseProjectName(stack.name),
    rootDir: revision.directory,
    environment: await stackEnvironment(deps, stack),
  });
  // Before anything else touches the engine (diffing pulls images): what the policy denies.
  const violations = await deps.policy.violations(project, stack);
  if (policy === 'enforce' && violations.length > 0) throw new PolicyViolationError(violations);
  const diff = await deps.engine.diff(project, stack.name, {
    serviceFilter: serviceFilterOf(stack), registryAuth: await registryAuthOf(deps, stack), ...options,
  });
  return { project, diff, violations };
}
