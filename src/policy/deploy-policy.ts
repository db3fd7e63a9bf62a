import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ComposeProject } from '../compose/types.ts';
import type { ResourceOwnership, ResourceQuery } from '../docker/index.ts';
import { checkProject, referencedObjects, type PolicyPaths } from './check.ts';
import type { PolicyRule } from './rules.ts';
import { PolicyViolationError, type PolicyViolation } from './violation.ts';

// The deploy policy of one daemon: the pure check (check.ts) fed with the host's paths and,
// from the engine, who owns the networks, volumes and containers a project names.

export interface PolicySettings {
  /** Accelero's data directory and STACKS_DATA_DIR. */
  dataDir: string;
  stacksDataDir: string;
  /** The Docker socket Accelero talks to, when it is a unix socket. */
  dockerSocket?: string;
  /** ACCELERO_ALLOWED_HOST_PATHS; undefined = any host path outside the data directory. */
  allowedHostPaths?: string[];
  /** ACCELERO_POLICY_FILE: rules allowed for every stack, and per stack name. */
  allow: PolicyRule[];
  allowByStack: Record<string, PolicyRule[]>;
}

export interface OwnerLookup {
  resourceOwners(query: ResourceQuery): Promise<ResourceOwnership>;
}

const STANDARD_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

export class DeployPolicy {
  constructor(private readonly settings: PolicySettings, private readonly engine: OwnerLookup) {}

  /** What the project asks for that the policy denies this stack (empty = nothing). */
  async violations(project: ComposeProject, stack: { name: string; policy?: { allow: string[] } | null }): Promise<PolicyViolation[]> {
    const { settings } = this;
    const allowed = new Set<string>([...settings.allow, ...(settings.allowByStack[stack.name] ?? []), ...(stack.policy?.allow ?? [])]);
    const owners = await this.engine.resourceOwners(referencedObjects(project));
    return checkProject(project, { stack: stack.name, allowed, paths: this.paths(stack.name), owners, realpath: realOrSelf });
  }

  /** Throws PolicyViolationError naming every violation, before anything is changed. */
  async enforce(project: ComposeProject, stack: { name: string; policy?: { allow: string[] } | null }): Promise<void> {
    const violations = await this.violations(project, stack);
    if (violations.length > 0) throw new PolicyViolationError(violations);
  }

  private paths(stackName: string): PolicyPaths {
    const { settings } = this;
    const sockets = [...STANDARD_SOCKETS, ...(settings.dockerSocket ? [settings.dockerSocket] : [])];
    return {
      dataDirs: [settings.dataDir, settings.stacksDataDir].map(realOrSelf),
      ownExportDir: realOrSelf(join(settings.stacksDataDir, stackName)),
      dockerSockets: [...new Set(sockets.flatMap((socket) => [resolve(socket), realOrSelf(socket)]))],
      allowedHostPaths: settings.allowedHostPaths?.map(realOrSelf),
    };
  }
}
