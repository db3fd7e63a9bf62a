import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.ts';
import { execFileSync } from 'node:child_process';
import { prepareAuth } from '../../src/git/credentials.ts';
import { baseGitEnv } from '../../src/git/run-git.ts';

const options = { defaultKnownHostsFile: '/nonexistent/known_hosts' };

/** The key file path inside GIT_SSH_COMMAND (`-i '<path>'`). */
function keyFileOf(sshCommand: string): string {
  const match = /'-i' '([^']+)'/.exec(sshCommand);
  assert.ok(match, sshCommand);
  return match[1];
}

describe('prepareAuth', () => {
  it('passes an HTTPS token through the environment of the command, not its arguments', async () => {
    const auth = await prepareAuth('https://h/r.git', { username: 'u', token: 'tok-abcdef' }, options);
    assert.equal(auth.env.ACCELERO_GIT_TOKEN, 'tok-abcdef');
    assert.ok(auth.config.every((setting) => !setting.includes('tok-abcdef')));
  });

  it("answers git's credential request only for the repository's own scheme and host", async () => {
    const auth = await prepareAuth('https://Git.Example:8443/r.git', { username: 'u', token: 'tok-abcdef' }, options);
    const fill = (input: string) => execFileSync('git', [...auth.config.flatMap((c) => ['-c', c]), 'credential', 'fill'], {
      input, env: { ...baseGitEnv(), ...auth.env }, encoding: 'utf8',
    });
    assert.match(fill('protocol=https\nhost=git.example:8443\n\n'), /password=tok-abcdef/);
    for (const elsewhere of ['protocol=https\nhost=evil.example\n\n', 'protocol=http\nhost=git.example:8443\n\n', 'protocol=https\nhost=git.example\n\n']) {
      assert.doesNotMatch(fill(elsewhere), /tok-abcdef/, elsewhere);
    }
  });

  it('refuses a token with a line break, which could inject credential fields', async () => {
    await assert.rejects(prepareAuth('https://h/r.git', { token: 'a\nhost=evil' }, options), ValidationError);
  });

  it('writes the SSH key to a 0600 file that dispose removes', async () => {
    const auth = await prepareAuth('ssh://git@h/r.git', { sshPrivateKey: 'KEY-MATERIAL' }, options);
    const keyFile = keyFileOf(auth.env.GIT_SSH_COMMAND);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal(await readFile(keyFile, 'utf8'), 'KEY-MATERIAL\n');
    await auth.dispose();
    assert.equal(existsSync(keyFile), false);
  });

  it('checks host keys strictly against the given known_hosts', async () => {
    const auth = await prepareAuth('git@h:r.git', { sshPrivateKey: 'K', sshKnownHosts: 'h ssh-ed25519 AAAA' }, options);
    assert.match(auth.env.GIT_SSH_COMMAND, /StrictHostKeyChecking=yes/);
    await auth.dispose();
  });

  it('accepts new host keys into the default known_hosts when none is given', async () => {
    const auth = await prepareAuth('git@h:r.git', { sshPrivateKey: 'K' }, options);
    assert.match(auth.env.GIT_SSH_COMMAND, /StrictHostKeyChecking=accept-new/);
    assert.ok(auth.env.GIT_SSH_COMMAND.includes('UserKnownHostsFile=/nonexistent/known_hosts'));
    await auth.dispose();
  });

  it('turns host key checking off only when strictHostKeyChecking is false', async () => {
    const auth = await prepareAuth('git@h:r.git', { strictHostKeyChecking: false }, options);
    assert.match(auth.env.GIT_SSH_COMMAND, /StrictHostKeyChecking=no/);
    await auth.dispose();
  });
});
