import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseGitEnv, minimalChildEnv } from '../../src/git/run-git.ts';

test('git commands run without the EDITOR and PAGER that npm exports to its scripts', (t) => {
  const saved = { EDITOR: process.env.EDITOR, PAGER: process.env.PAGER, GIT_DIR: process.env.GIT_DIR };
  t.after(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  Object.assign(process.env, { EDITOR: 'vi', PAGER: 'less', GIT_DIR: '/elsewhere' });
  const env = baseGitEnv();
  assert.equal(env.EDITOR, undefined);
  assert.equal(env.PAGER, undefined);
  assert.equal(env.GIT_DIR, undefined);
  assert.equal(env.GIT_TERMINAL_PROMPT, '0');
  assert.equal(env.PATH, process.env.PATH);
});

test("git, ssh and tar see none of the daemon's settings, only what they need to run", (t) => {
  const saved = { API_KEY: process.env.API_KEY, WEBHOOK_SECRET: process.env.WEBHOOK_SECRET, ACCELERO_ENCRYPTION_KEY: process.env.ACCELERO_ENCRYPTION_KEY, https_proxy: process.env.https_proxy };
  t.after(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  Object.assign(process.env, { API_KEY: 'acc_secret', WEBHOOK_SECRET: 'hook', ACCELERO_ENCRYPTION_KEY: 'k', https_proxy: 'http://proxy.invalid:3128' });
  for (const env of [baseGitEnv(), minimalChildEnv()]) {
    assert.deepEqual([env.API_KEY, env.WEBHOOK_SECRET, env.ACCELERO_ENCRYPTION_KEY], [undefined, undefined, undefined]);
    assert.equal(env.https_proxy, 'http://proxy.invalid:3128');
    assert.equal(env.LC_ALL, 'C');
  }
  assert.equal(baseGitEnv().GIT_CONFIG_GLOBAL, '/dev/null');
});
