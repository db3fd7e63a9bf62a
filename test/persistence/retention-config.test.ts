import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { ValidationError } from '../../src/errors.ts';

// The retention settings as the daemon reads them from the environment.

test('retention defaults to 2000 transitions and 200 deployments per stack and 90 days of audit', () => {
  assert.deepEqual(loadConfig({}, '/srv').retention, { transitions: 2000, deployments: 200, auditDays: 90 });
});

test('retention settings are read from the environment', () => {
  const env = { RETENTION_TRANSITIONS: '500', RETENTION_DEPLOYMENTS: '20', RETENTION_AUDIT_DAYS: '365' };
  assert.deepEqual(loadConfig(env, '/srv').retention, { transitions: 500, deployments: 20, auditDays: 365 });
});

test('a bad retention value stops the start with an error naming the variable', () => {
  for (const [name, value] of [['RETENTION_TRANSITIONS', '0'], ['RETENTION_DEPLOYMENTS', 'many'], ['RETENTION_AUDIT_DAYS', '1.5'], ['RETENTION_AUDIT_DAYS', '100000']]) {
    assert.throws(() => loadConfig({ [name!]: value }, '/srv'), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.field, name);
      assert.match(error.message, new RegExp(`^${name}=${value!.replace('.', '\\.')} is not a whole number between 1 and \\d+$`));
      return true;
    });
  }
});
