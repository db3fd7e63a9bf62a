import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createGitSource, GitAuthError, GitHostKeyError, type SourceSpec } from '../../src/git/index.ts';
import { createGitRepo, type TestGitRepo } from '../support/git-repo.ts';
import { filesContaining } from './helpers/grep-tree.ts';
import { startSshServer, type SshServer } from '../support/ssh-server.ts';

const run = promisify(execFile);

async function sshTempDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('accelero-ssh-'));
}

describe('git source over SSH with a private key', { timeout: 60_000 }, () => {
  let repo: TestGitRepo;
  let server: SshServer;
  let dataDir: string;
  let strangerKey: string;
  let strangerPublicKey: string;

  before(async () => {
    repo = await createGitRepo({ 'compose.yaml': 'services:\n  app:\n    image: busybox\n' });
    server = await startSshServer();
    dataDir = await mkdtemp(join(tmpdir(), 'accelero-data-'));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dataDir, 'stranger')]);
    strangerKey = await readFile(join(dataDir, 'stranger'), 'utf8');
    strangerPublicKey = (await readFile(join(dataDir, 'stranger.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    await rm(join(dataDir, 'stranger'));
    await rm(join(dataDir, 'stranger.pub'));
  });
  after(async () => {
    await server.stop();
    await repo.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  const spec = (stack: string, credentials: SourceSpec['credentials']): SourceSpec => ({
    stack,
    url: server.url(repo.dir),
    composePath: 'compose.yaml',
    credentials,
  });
  const source = () => createGitSource({ dataDir, retries: 0 });

  it('resolves and exports with sshPrivateKey and the server in known_hosts', async () => {
    const revision = await source().resolve(spec('ssh-ok', { sshPrivateKey: server.privateKey, sshKnownHosts: server.knownHosts }));
    assert.equal(revision.commit, await repo.git('rev-parse', 'HEAD'));
    assert.match(await readFile(revision.composeFile, 'utf8'), /busybox/);
  });

  it('resolves with accept-new host checking when no known_hosts is given', async () => {
    const revision = await source().resolve(spec('ssh-tofu', { sshPrivateKey: server.privateKey }));
    assert.equal(revision.commit, await repo.git('rev-parse', 'HEAD'));
  });

  it('fails with GitAuthError for a key the server does not accept', async () => {
    await assert.rejects(source().resolve(spec('ssh-stranger', { sshPrivateKey: strangerKey, sshKnownHosts: server.knownHosts })), (error: unknown) =>
      error instanceof GitAuthError && /ssh-stranger/.test(error.message) && error.message.includes(server.url(repo.dir)));
  });

  it('fails with GitHostKeyError when known_hosts holds another key for the server', async () => {
    const otherHost = `[127.0.0.1]:${server.port} ${strangerPublicKey}`;
    await assert.rejects(source().resolve(spec('ssh-mitm', { sshPrivateKey: server.privateKey, sshKnownHosts: otherHost })), GitHostKeyError);
  });

  it('connects twice when ten stacks resolve a new commit over SSH: one ls-remote, one fetch', async () => {
    const git = source();
    await repo.commit({ 'compose.yaml': 'services:\n  app:\n    image: busybox:2\n' });
    const credentials = { sshPrivateKey: server.privateKey, sshKnownHosts: server.knownHosts };
    const before = (await server.commands()).length;
    await Promise.all(Array.from({ length: 10 }, (_, i) => git.resolve(spec(`ssh-ten-${i}`, credentials))));
    assert.equal((await server.commands()).length - before, 2);
  });

  it('removes the temporary key file after each command and writes the key nowhere in the data directory', async () => {
    const before = await sshTempDirs();
    await source().resolve(spec('ssh-clean', { sshPrivateKey: server.privateKey, sshKnownHosts: server.knownHosts }));
    assert.deepEqual(await sshTempDirs(), before);
    const keyBody = server.privateKey.split('\n')[1];
    assert.deepEqual(await filesContaining(dataDir, keyBody), []);
  });
});
