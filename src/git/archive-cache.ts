import { execFile } from 'node:child_process';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { baseGitEnv, minimalChildEnv } from './run-git.ts';

const run = promisify(execFile);

// `git archive` of a commit, written once to a tar file in the mirror and extracted by
// every stack that exports that commit: fifty stacks on one repository moving to a new
// commit cost one archive and fifty `tar -x`, not fifty of each.

export class ArchiveCache {
  private readonly archives = new Map<string, Promise<string>>();

  constructor(
    private readonly mirrorDir: string,
    private readonly dir: string,
    /** Tar files kept; older ones are deleted as new commits arrive. */
    private readonly keep = 2,
  ) {}

  /** Removes tar files left by an earlier run (their commits may be long gone). */
  async reset(): Promise<void> {
    this.archives.clear();
    await rm(this.dir, { recursive: true, force: true });
  }

  tarFor(commit: string): Promise<string> {
    let archive = this.archives.get(commit);
    if (!archive) {
      archive = this.create(commit);
      archive.catch(() => this.archives.delete(commit));
      this.archives.set(commit, archive);
      void this.evict();
    }
    return archive;
  }

  /** Drops a tar file that failed to extract, so the next call writes it again. */
  forget(commit: string): void {
    this.archives.delete(commit);
  }

  private async create(commit: string): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${commit}.tar`);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await run('git', ['--git-dir', this.mirrorDir, 'archive', '--format=tar', '-o', tmp, commit], { env: baseGitEnv() });
    await rename(tmp, file);
    return file;
  }

  private async evict(): Promise<void> {
    while (this.archives.size > this.keep) {
      const oldest = this.archives.keys().next().value as string;
      const archive = this.archives.get(oldest);
      this.archives.delete(oldest);
      const file = await archive?.catch(() => undefined);
      if (file) await rm(file, { force: true });
    }
  }
}

/** Extracts a tar file into `dir` (owned by us, not by the uid recorded in the archive). */
export async function extractTar(file: string, dir: string): Promise<void> {
  await run('tar', ['-x', '--no-same-owner', '-f', file, '-C', dir], { env: minimalChildEnv() });
}
