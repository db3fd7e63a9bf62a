import { normaliseProjectName } from '../src/compose/index.ts';
import type { ComposeLoader, ComposeProject } from '../src/compose/types.ts';
import type { SourceRevision } from '../src/git/index.ts';
import type { SecretBox } from '../src/secrets/index.ts';
import type { StackRecord } from '../persistence/entities/records.ts';
import type { SourceSpec } from '../src/git/types.ts';
import type { DockerEngine, RegistryAuth, StackDiff } from '../src/docker/index.ts';

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

export function registryAuthOf(stack: StackRecord, secrets: SecretBox): RegistryAuth[] {
  if (!stack.docker_username && !stack.docker_password_sealed) return [];
  return [{
    registry: stack.docker_registry ?? undefined,
    username: stack.docker_username ?? undefined,
    password: stack.docker_password_sealed ? secrets.decrypt(stack.docker_password_sealed) : undefined,
  }];
}

/** What git's desired state is read and compared with: shared by the stack's steps and the read-only views. */
export interface DesiredStateDeps {
  compose: ComposeLoader;
  engine: DockerEngine;
  secrets: SecretBox;
  /** The environment `${VAR}` sees besides the repository's `.env` (defaults to the process environment). */
  environment?: Record<string, string | undefined>;
}

/** The compose project of an exported revision, named after the stack, and how the engine differs from it. */
export async function diffDesiredState(
  deps: DesiredStateDeps, stack: StackRecord, revision: SourceRevision, options: { pull?: boolean; pinnedImageIds?: Record<string, string> } = {},
): Promise<{ project: ComposeProject; diff: StackDiff }> {
  const project = await deps.compose.load({
    projectDir: revision.directory,
    composePath: stack.compose_path,
    projectName: normaliseProjectName(stack.name),
    rootDir: revision.directory,
    environment: deps.environment ?? process.env,
  });
  const diff = await deps.engine.diff(project, stack.name, {
    serviceFilter: serviceFilterOf(stack), registryAuth: registryAuthOf(stack, deps.secrets), ...options,
  });
  return { project, diff };
}
