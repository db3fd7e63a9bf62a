import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import type { SourceSpec } from '../../../src/git/index.ts';
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server.ts';
import { createGitRepo, type TestGitRepo } from '../../support/git-repo.ts';

export const PRIVATE_USER = 'deploy';

export interface PrivateServerFixture {
  readonly server: GitHttpServer;
  repo(name: string): TestGitRepo;
  url(name: string): string;
  /** A fresh directory under the suite's data directory (one per git source). */
  dataDir(name: string): string;
  /** A stack on repository `name`, with the server's credentials. */
  spec(stack: string, name: string): SourceSpec;
}

/**
 * Inside a `describe`: a smart-HTTP server with basic auth serving one real repository per
 * entry of `repos`, and a data directory; faults are cleared after each test.
 */
export function usePrivateServer(token: string, repos: Record<string, () => Record<string, string>>): PrivateServerFixture {
  const made = new Map<string, { repo: TestGitRepo; url: string }>();
  let server: GitHttpServer | undefined;
  let root: string | undefined;
  before(async () => {
    server = await startGitHttpServer({ auth: { username: PRIVATE_USER, password: token } });
    for (const [name, files] of Object.entries(repos)) {
      const repo = await createGitRepo(files());
      made.set(name, { repo, url: server.addRepo(name, repo.dir) });
    }
    root = await mkdtemp(join(tmpdir(), 'accelero-data-'));
  });
  afterEach(() => {
    for (const name of made.keys()) server?.setFault(name, undefined);
    server?.failNext(0);
  });
  after(async () => {
    await server?.stop();
    await Promise.all([...made.values()].map(({ repo }) => repo.remove()));
    if (root) await rm(root, { recursive: true, force: true });
  });
  const entry = (name: string) => {
    const found = made.get(name);
    if (!found) throw new Error(`no repository "${name}" in the fixture (or used outside a test)`);
    return found;
  };
  return {
    get server() {
      if (!server) throw new Error('server fixture used outside a test');
      return server;
    },
    repo: (name) => entry(name).repo,
    url: (name) => entry(name).url,
    dataDir: (name) => join(root!, name),
    spec: (stack, name) => ({ stack, url: entry(name).url, composePath: 'docker-compose.yaml', credentials: { username: PRIVATE_USER, token } }),
  };
}
