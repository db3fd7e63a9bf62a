// Service fields that map to host settings: restart, pull_policy, command/entrypoint,
// extra_hosts, ulimits, logging, devices.
import type { DeviceModel, ServiceModel, UlimitModel } from '../model.ts';
import { splitShellWords, ShellWordsError } from '../shell-words.ts';
import {
  asInt, asList, asMapping, asString, asStringList, asStringMap, checkKeys, child, fail, isMapping, type FieldContext,
} from './values.ts';

export function readRestart(value: unknown, ctx: FieldContext): string {
  const restart = asString(value, ctx);
  if (!/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(restart)) {
    fail(ctx, `restart must be no, always, on-failure[:max-retries] or unless-stopped, got "${restart}"`);
  }
  return restart;
}

/** compose-go folds `if_not_present` into `missing`. */
export function readPullPolicy(value: unknown, ctx: FieldContext): string {
  const policy = asString(value, ctx);
  if (policy === 'if_not_present') return 'missing';
  if (!/^(always|never|missing|build|daily|weekly|every_.+)$/.test(policy)) fail(ctx, `invalid pull_policy "${policy}"`);
  return policy;
}

/** A string is split shell-words style (no shell runs); a list is taken as is; `""` / `[]` clear. */
export function readCommand(value: unknown, ctx: FieldContext): string[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item, index) => asString(item, child(ctx, index)));
  const text = asString(value, ctx);
  try {
    return splitShellWords(text);
  } catch (error) {
    if (error instanceof ShellWordsError) fail(ctx, `${ctx.field}: ${error.message}`);
    throw error;
  }
}

/** Stored as `host=ip` (compose-go's current form); IPv6 brackets stripped. */
export function readExtraHosts(value: unknown, ctx: FieldContext): string[] {
  if (isMapping(value)) {
    return Object.entries(value).flatMap(([host, ips]) =>
      asStringList(ips, child(ctx, host)).map((ip) => `${host}=${stripBrackets(ip)}`),
    );
  }
  return asStringList(value, ctx).map((entry, index) => {
    const separator = entry.includes('=') ? entry.indexOf('=') : entry.indexOf(':');
    if (separator <= 0) fail(child(ctx, index), `invalid extra_hosts entry "${entry}" (expected host:ip or host=ip)`);
    return `${entry.slice(0, separator)}=${stripBrackets(entry.slice(separator + 1))}`;
  });
}

function stripBrackets(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

/** `nofile: {soft, hard}` or `nproc: 65535` (both limits). */
export function readUlimits(value: unknown, ctx: FieldContext): Record<string, UlimitModel> {
  const result: Record<string, UlimitModel> = {};
  for (const [name, spec] of Object.entries(asMapping(value, ctx))) {
    const specCtx = child(ctx, name);
    if (!isMapping(spec)) {
      const limit = asInt(spec, specCtx);
      result[name] = { soft: limit, hard: limit };
      continue;
    }
    checkKeys(spec, new Set(['soft', 'hard']), specCtx);
    result[name] = { soft: asInt(spec.soft, child(specCtx, 'soft')), hard: asInt(spec.hard, child(specCtx, 'hard')) };
  }
  return result;
}

export function readLogging(value: unknown, ctx: FieldContext): NonNullable<ServiceModel['logging']> {
  const spec = asMapping(value, ctx);
  checkKeys(spec, new Set(['driver', 'options']), ctx);
  const logging: NonNullable<ServiceModel['logging']> = {};
  if (spec.driver !== undefined) logging.driver = asString(spec.driver, child(ctx, 'driver'));
  if (spec.options !== undefined && spec.options !== null) logging.options = asStringMap(spec.options, child(ctx, 'options'));
  return logging;
}

/** `/dev/src[:/dev/dst[:rwm]]` or `{source, target, permissions}`. */
export function readDevices(value: unknown, ctx: FieldContext): DeviceModel[] {
  return asList(value, ctx).map((entry, index) => {
    const entryCtx = child(ctx, index);
    if (isMapping(entry)) {
      checkKeys(entry, new Set(['source', 'target', 'permissions']), entryCtx);
      const source = asString(entry.source, child(entryCtx, 'source'));
      const target = entry.target === undefined ? source : asString(entry.target, child(entryCtx, 'target'));
      const permissions = entry.permissions === undefined ? 'rwm' : asString(entry.permissions, child(entryCtx, 'permissions'));
      return { source, target, permissions };
    }
    const [source, target = source, permissions = 'rwm'] = asString(entry, entryCtx).split(':');
    return { source, target, permissions };
  });
}
