import type { DockerEngine } from '../src/docker/index.ts';
import type { AcceleroGitSource } from '../src/git/index.ts';
import type { Logger } from '../src/logger.ts';
import { errorMessage } from '../src/errors.ts';
import { forgetStackMetrics } from '../src/metrics.ts';
import type { StackRecord } from '../persistence/entities/records.ts';
import type { StackStore } from '../persistence/stack-store.ts';

// Everything a deleted stack owns goes in one place: its containers and networks (volumes only
// when asked), its rows (deployments, snapshots, drift, transitions, the stack) in one
// transaction, its exported commits, the git mirror no other stack uses, its metrics.

export interface StackRemovalDeps {
  /** Deletes every row of the stack in one transaction. */
  deleteHistory(stackId: string): Promise<void>;
  stacks: StackStore;
  git: AcceleroGitSource;
  engine: DockerEngine;
  logger: Logger;
}

export class StackRemoval {
  constructor(private readonly deps: StackRemovalDeps) {}

  async remove(stack: StackRecord, options: { removeContainers: boolean; removeVolumes: boolean }): Promise<void> {
    const { deps } = this;
    if (options.removeContainers) await deps.engine.removeStack(stack.name, { volumes: options.removeVolumes });
    await deps.deleteHistory(stack.id);
    forgetStackMetrics(stack.name);
    // Files are caches of git: a failure to remove them is reported, never a failed delete.
    await deps.git.forget(stack.name)
      .catch((error: unknown) => deps.logger.warn({ stack: stack.name, err: errorMessage(error) }, 'could not remove the exported commits'));
    await this.pruneMirrors();
  }

  /** Mirrors of repositories no stack uses any more (also run at start). */
  async pruneMirrors(): Promise<void> {
    const { deps } = this;
    try {
      const removed = await deps.git.pruneMirrors((await deps.stacks.list()).map((s) => s.repo_url));
      if (removed.length > 0) deps.logger.info({ mirrors: removed.length }, 'removed git mirrors no stack uses');
    } catch (error) {
      deps.logger.warn({ err: errorMessage(error) }, 'could not prune the git mirrors');
    }
  }
}
