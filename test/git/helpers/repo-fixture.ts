import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { createGitRepo, type TestGitRepo } from '../../support/git-repo.ts';

export interface RepoFixture {
  readonly repo: TestGitRepo;
  /** A fresh STACKS_DATA_DIR for the suite. */
  readonly dataDir: string;
}

/** Inside a `describe`: a real repository with `files` and a data directory, removed afterwards. */
export function useRepoFixture(files: Record<string, string>): RepoFixture {
  let repo: TestGitRepo | undefined;
  let dataDir: string | undefined;
  before(async () => {
    repo = await createGitRepo(files);
    dataDir = await mkdtemp(join(tmpdir(), 'accelero-data-'));
  });
  after(async () => {
    await repo?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get repo() {
      if (!repo) throw new Error('repo fixture used outside a test');
      return repo;
    },
    get dataDir() {
      if (!dataDir) throw new Error('repo fixture used outside a test');
      return dataDir;
    },
  };
}
