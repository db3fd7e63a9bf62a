import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../errors.ts';
import type { GitCredentials } from './types.ts';
import { urlKind } from './redact.ts';
import { credentialHost } from './credential-host.ts';

// Credentials reach git per command only. HTTPS: a credential helper that reads the user and
// token from this process's environment (never argv, a URL, a remote or a config file), and
// answers only when git asks for the repository's own scheme and host: after a redirect to
// another host (or from https to http) git asks again for that host, and gets nothing.
// SSH: the key in a 0600 file inside a fresh 0700 temp directory, removed after the command.

export interface GitAuth {
  config: string[];
  env: Record<string, string>;
  /** Values that must never appear in logs or errors. */
  secrets: string[];
  dispose(): Promise<void>;
}

export interface AuthOptions {
  /** known_hosts used when the stack gives none (accept-new remembers hosts here). */
  defaultKnownHostsFile: string;
  sshConnectTimeoutSeconds?: number;
}

const HELPER =
  '!f() { test "$1" = get || return 0; p=; h=; ' +
  'while IFS= read -r line && test -n "$line"; do case "$line" in protocol=*) p=${line#protocol=};; host=*) h=${line#host=};; esac; done; ' +
  'h=$(printf %s "$h" | tr "[:upper:]" "[:lower:]"); ' +
  'test "$p" = "$ACCELERO_GIT_PROTOCOL" && test "$h" = "$ACCELERO_GIT_HOST" || return 0; ' +
  'printf "username=%s\\npassword=%s\\n" "$ACCELERO_GIT_USERNAME" "$ACCELERO_GIT_TOKEN"; }; f';

const NO_AUTH: GitAuth = { config: [], env: {}, secrets: [], dispose: async () => {} };

export function secretsOf(credentials: GitCredentials | undefined): string[] {
  if (!credentials) return [];
  const values = [credentials.token, credentials.sshPrivateKey].filter((v): v is string => !!v);
  if (credentials.token) {
    const user = credentials.username || 'x-access-token';
    values.push(Buffer.from(`${user}:${credentials.token}`).toString('base64'));
  }
  return values;
}

export async function prepareAuth(url: string, credentials: GitCredentials | undefined, options: AuthOptions): Promise<GitAuth> {
  const kind = urlKind(url);
  if (kind === 'http' && credentials?.token) return httpAuth(url, credentials);
  if (kind === 'ssh') return sshAuth(credentials ?? {}, options);
  return NO_AUTH;
}

/** A line break would let a value inject extra fields into git's credential protocol. */
function checkCredentialValue(value: string | undefined, field: string): void {
  if (value !== undefined && /[\0\r\n]/.test(value)) {
    throw new ValidationError(`${field} must not contain line breaks or NUL bytes`, field);
  }
}

function httpAuth(url: string, credentials: GitCredentials): GitAuth {
  checkCredentialValue(credentials.username, 'repo_username');
  checkCredentialValue(credentials.token, 'repo_token');
  const target = credentialHost(url);
  return {
    config: [`credential.helper=${HELPER}`],
    env: {
      ACCELERO_GIT_USERNAME: credentials.username || 'x-access-token', ACCELERO_GIT_TOKEN: credentials.token ?? '',
      ACCELERO_GIT_PROTOCOL: target?.protocol ?? '', ACCELERO_GIT_HOST: target?.host ?? '',
    },
    secrets: secretsOf(credentials),
    dispose: async () => {},
  };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function sshAuth(credentials: GitCredentials, options: AuthOptions): Promise<GitAuth> {
  const dir = await mkdtemp(join(tmpdir(), 'accelero-ssh-'));
  try {
    const args = ['ssh', '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${options.sshConnectTimeoutSeconds ?? 15}`];
    if (credentials.sshPrivateKey) {
      const keyFile = join(dir, 'key');
      const key = credentials.sshPrivateKey.endsWith('\n') ? credentials.sshPrivateKey : `${credentials.sshPrivateKey}\n`;
      await writeFile(keyFile, key, { mode: 0o600, flag: 'wx' });
      args.push('-i', keyFile, '-o', 'IdentitiesOnly=yes');
    }
    args.push(...(await hostKeyOptions(credentials, dir, options)));
    return {
      config: [],
      env: { GIT_SSH_COMMAND: args.map(shellQuote).join(' '), GIT_SSH_VARIANT: 'ssh' },
      secrets: secretsOf(credentials),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function hostKeyOptions(credentials: GitCredentials, dir: string, options: AuthOptions): Promise<string[]> {
  if (credentials.strictHostKeyChecking === false) {
    return ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'];
  }
  if (credentials.sshKnownHosts) {
    const file = join(dir, 'known_hosts');
    await writeFile(file, credentials.sshKnownHosts.endsWith('\n') ? credentials.sshKnownHosts : `${credentials.sshKnownHosts}\n`, { mode: 0o600 });
    return ['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${file}`];
  }
  const mode = credentials.strictHostKeyChecking === true ? 'yes' : 'accept-new';
  return ['-o', `StrictHostKeyChecking=${mode}`, '-o', `UserKnownHostsFile=${options.defaultKnownHostsFile}`];
}
