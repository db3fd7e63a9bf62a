// `healthcheck:` (compose-go types.HealthCheckConfig): a string test is CMD-SHELL, a list must
// start with CMD, CMD-SHELL or NONE, `disable: true` is `["NONE"]`; durations in nanoseconds.
import type { HealthcheckModel } from '../model.ts';
import { asBool, asDurationNs, asInt, asMapping, asString, checkKeys, child, fail, type FieldContext } from './values.ts';

const KEYS = new Set(['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable']);
const DURATIONS = ['interval', 'timeout', 'start_period', 'start_interval'] as const;

export function normaliseHealthcheck(value: unknown, ctx: FieldContext): HealthcheckModel {
  const config = asMapping(value, ctx);
  checkKeys(config, KEYS, ctx);
  const healthcheck: HealthcheckModel = {};
  if (config.test !== undefined && config.test !== null) healthcheck.test = readTest(config.test, child(ctx, 'test'));
  for (const key of DURATIONS) {
    if (config[key] !== undefined && config[key] !== null) healthcheck[key] = readHealthDuration(config[key], child(ctx, key));
  }
  if (config.retries !== undefined && config.retries !== null) healthcheck.retries = asInt(config.retries, child(ctx, 'retries'));
  if (config.disable !== undefined && asBool(config.disable, child(ctx, 'disable'))) healthcheck.disable = true;
  if (healthcheck.disable && healthcheck.test !== undefined && healthcheck.test[0] !== 'NONE') {
    fail(ctx, 'healthcheck.disable and healthcheck.test cannot be combined');
  }
  return healthcheck;
}

function readTest(value: unknown, ctx: FieldContext): string[] {
  if (typeof value === 'string') return value === '' ? ['NONE'] : ['CMD-SHELL', value];
  if (!Array.isArray(value)) return fail(ctx, `${ctx.field} must be a string or a list`);
  const test = value.map((item, index) => asString(item, child(ctx, index)));
  if (!['CMD', 'CMD-SHELL', 'NONE'].includes(test[0] ?? '')) {
    fail(ctx, `${ctx.field} must start with CMD, CMD-SHELL or NONE, got ${JSON.stringify(test[0] ?? '')}`);
  }
  return test;
}

/** The Engine rejects a non-zero health duration under 1 ms. */
function readHealthDuration(value: unknown, ctx: FieldContext): number {
  const ns = asDurationNs(value, ctx);
  if (ns < 0 || (ns > 0 && ns < 1e6)) fail(ctx, `${ctx.field} must be 0 or at least 1ms`);
  return ns;
}

/**
 * True when the compose file declares a test the Engine will run. Timing fields alone only tune
 * the image's own HEALTHCHECK, which may not exist, so they do not count (the Docker layer would
 * otherwise wait for a health status that never comes).
 */
export function healthcheckIsActive(healthcheck: HealthcheckModel | undefined): boolean {
  if (healthcheck === undefined || healthcheck.disable || healthcheck.test === undefined) return false;
  return healthcheck.test[0] !== 'NONE';
}
