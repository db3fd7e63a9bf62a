import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { ValidationError } from '../../src/errors.ts';

// GIT_TIMEOUT is the git layer's setting; its parsing lives with the other variables.

describe('GIT_TIMEOUT', () => {
  const gitTimeout = (value: string | undefined) => loadConfig({ GIT_TIMEOUT: value }, '/tmp').gitTimeoutMs;

  it('defaults to two minutes', () => {
    assert.equal(gitTimeout(undefined), 120_000);
    assert.equal(gitTimeout(''), 120_000);
  });

  it('reads durations like the other variables', () => {
    assert.equal(gitTimeout('30s'), 30_000);
    assert.equal(gitTimeout('5m'), 300_000);
    assert.equal(gitTimeout('1m30s'), 90_000);
    assert.equal(gitTimeout('45'), 45_000);
  });

  it('refuses a value that is no duration, or zero, with an error naming the variable', () => {
    for (const value of ['soon', '5 minutes', '0s', '0']) {
      assert.throws(
        () => gitTimeout(value),
        (error: unknown) => error instanceof ValidationError && error.field === 'GIT_TIMEOUT' && error.message.includes(`GIT_TIMEOUT=${value}`),
        value,
      );
    }
  });
});
