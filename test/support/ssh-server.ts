import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// An sshd on a free loopback port for tests: its own config, host key and authorized test
// key in a temp directory; every command a client runs is recorded (to count fetches).
// Needs Debian's openssh-server (/usr/sbin/sshd).

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** OpenSSH private key authorised on the server (give it as `sshPrivateKey`). */
  privateKey: string;
  /** A known_hosts line for this server (give it as `sshKnownHosts`). */
  knownHosts: string;
  /** `ssh://<user>@127.0.0.1:<port><absolute repo dir>` */
  url(repoDir: string): string;
  /** Commands clients ran, oldest first (`git-upload-pack '/path'` per ls-remote or fetch). */
  commands(): Promise<string[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function keyPair(file: string): Promise<{ privateKey: string; publicKey: string }> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'accelero-test', '-f', file]);
  return { privateKey: await readFile(file, 'utf8'), publicKey: (await readFile(`${file}.pub`, 'utf8')).trim() };
}

function sshdConfig(dir: string, port: number): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'AcceptEnv GIT_PROTOCOL',
    `ForceCommand ${join(dir, 'record-command.sh')}`,
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

/** Resolves once the port answers with an SSH banner; rejects if sshd exits first. */
function waitForBanner(port: number, sshd: ChildProcess, deadlineMs = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    sshd.once('exit', (code) => reject(new Error(`sshd exited with ${code}`)));
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (data) => {
        socket.destroy();
        if (data.toString().startsWith('SSH-')) resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() - started > deadlineMs) reject(new Error('sshd did not start'));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Keys, authorized_keys, the command recorder and sshd_config, all inside `dir`. */
async function prepareServerDir(dir: string, port: number, log: string) {
  const client = await keyPair(join(dir, 'client_key'));
  const host = await keyPair(join(dir, 'host_key'));
  await writeFile(join(dir, 'authorized_keys'), `${client.publicKey}\n`, { mode: 0o600 });
  await writeFile(join(dir, 'record-command.sh'), `#!/bin/sh\nprintf '%s\\n' "$SSH_ORIGINAL_COMMAND" >> '${log}'\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n`);
  await chmod(join(dir, 'record-command.sh'), 0o755);
  await writeFile(join(dir, 'sshd_config'), sshdConfig(dir, port));
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }).catch(() => {}); // privilege separation dir
  return { client, host };
}

export async function startSshServer(): Promise<SshServer> {
  const dir = await mkdtemp(join(tmpdir(), 'accelero-sshd-'));
  const port = await freePort();
  const log = join(dir, 'commands.log');
  const { client, host } = await prepareServerDir(dir, port, log);
  const sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  sshd.stderr?.on('data', (chunk: Buffer) => appendFileSync(join(dir, 'sshd.log'), chunk));
  try {
    await waitForBanner(port, sshd);
  } catch (error) {
    sshd.kill();
    const detail = await readFile(join(dir, 'sshd.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}: ${detail}`);
  }
  const user = userInfo().username;
  return {
    host: '127.0.0.1',
    port,
    user,
    privateKey: client.privateKey,
    knownHosts: `[127.0.0.1]:${port} ${host.publicKey.split(' ').slice(0, 2).join(' ')}`,
    url: (repoDir) => `ssh://${user}@127.0.0.1:${port}${repoDir}`,
    commands: async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean),
    stop: async () => {
      if (sshd.exitCode === null) {
        const exited = new Promise((resolve) => sshd.once('exit', resolve));
        sshd.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
