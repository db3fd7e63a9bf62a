import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.ts';
import { prepareAuth } from '../../src/git/credentials.ts';

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
