import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseGitEnv } from '../../src/git/run-git.ts';

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
