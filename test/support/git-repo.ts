import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A real git repository in a temp directory, with a `main` branch. */
export interface TestGitRepo {
  dir: string;
  /** `file://` URL of the repository. */
  url: string;
  /** Writes the files (null deletes), commits them, returns the new commit sha. */
  commit(files: Record<string, string | null>, message?: string): Promise<string>;
  git(...args: string[]): Promise<string>;
  remove(): Promise<void>;
}

const identity = {
  GIT_AUTHOR_NAME: 'Accelero Test',
  GIT_AUTHOR_EMAIL: 'test@accelero.invalid',
  GIT_COMMITTER_NAME: 'Accelero Test',
  GIT_COMMITTER_EMAIL: 'test@accelero.invalid',
};

export async function createGitRepo(files: Record<string, string> = {}): Promise<TestGitRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'accelero-repo-'));
  const git = async (...args: string[]) =>
    (await run('git', args, { cwd: dir, env: { ...process.env, ...identity } })).stdout.trim();
  await git('init', '--quiet', '--initial-branch=main');
  const commit = async (changes: Record<string, string | null>, message = 'change') => {
    for (const [path, content] of Object.entries(changes)) {
      const full = join(dir, path);
      if (content === null) {
        await rm(full, { force: true });
      } else {
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, content);
      }
    }
    await git('add', '--all');
    await git('commit', '--quiet', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  if (Object.keys(files).length > 0) await commit(files, 'initial');
  return { dir, url: `file://${dir}`, commit, git, remove: () => rm(dir, { recursive: true, force: true }) };
}
