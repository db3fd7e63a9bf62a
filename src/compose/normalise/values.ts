// Shape checks and type casts for compose values after interpolation. compose-go casts strings
// at known paths (ports, replicas, booleans, ...) after interpolating them (docs/compose.md A.1.3), so
// every reader here accepts the YAML type and the equivalent string.
import { invalidValue, UnsupportedKeyError, describePlace } from '../errors.ts';
import { parseBytes } from '../bytes.ts';
import { parseDurationNs } from '../durations.ts';

export interface FieldContext {
  file: string;
  service?: string;
  /** Dotted path inside the service (or the top-level path), e.g. `healthcheck.interval`. */
  field: string;
  /** Non-fatal findings (ComposeProject.warnings). */
  warn?: (message: string) => void;
}

export type Mapping = Record<string, unknown>;

export function fail(ctx: FieldContext, message: string): never {
  throw invalidValue(message, ctx);
}

/** A field below `ctx`; only file, service and field are kept (this runs for every value). */
export function child(ctx: FieldContext, name: string | number): FieldContext {
  const field = typeof name === 'number' ? `${ctx.field}[${name}]` : `${ctx.field}.${name}`;
  return { file: ctx.file, service: ctx.service, field, warn: ctx.warn };
}

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asMapping(value: unknown, ctx: FieldContext): Mapping {
  if (value === null || value === undefined) return {};
  if (!isMapping(value)) fail(ctx, `${ctx.field} must be a mapping, got ${describe(value)}`);
  return value;
}

export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Scalars become strings the way compose-go stringifies them (`true`, `1`, `0.5`). */
export function asString(value: unknown, ctx: FieldContext): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(ctx, `${ctx.field} must be a string, got ${describe(value)}`);
}

function where(ctx: FieldContext): string {
  return ctx.service === undefined ? '' : `service "${ctx.service}": `;
}

export function asInt(value: unknown, ctx: FieldContext): number {
  const number = typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number)) return number;
  return fail(ctx, `${ctx.field} must be an integer, got ${describe(value)}`);
}

export function asNumber(value: unknown, ctx: FieldContext): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isFinite(number)) return number;
  return fail(ctx, `${ctx.field} must be a number, got ${describe(value)}`);
}

/** `true`/`false` in any case; compose v2 also accepts y/yes/on and n/no/off, with a warning. */
export function asBool(value: unknown, ctx: FieldContext): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    const legacy = ['y', 'yes', 'on'].includes(lower) ? true : ['n', 'no', 'off'].includes(lower) ? false : undefined;
    if (legacy !== undefined) {
      ctx.warn?.(`${where(ctx)}${ctx.field}: "${value}" is read as ${legacy}; write ${legacy} (YAML 1.2 booleans)`);
      return legacy;
    }
  }
  return fail(ctx, `${ctx.field} must be a boolean, got ${describe(value)}`);
}

/** A string or a list of strings (dns, cap_add, tmpfs, ...). */
export function asStringList(value: unknown, ctx: FieldContext): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map((item, index) => asString(item, child(ctx, index)));
  return [asString(value, ctx)];
}

/** A list that must be a list (no single-string shorthand). */
export function asList(value: unknown, ctx: FieldContext): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) fail(ctx, `${ctx.field} must be a list, got ${describe(value)}`);
  return value;
}

/**
 * Labels, sysctls, driver_opts, ...: a mapping (values stringified, null → "") or a list of
 * `key=value` (`key` alone → ""). compose-go's `Labels` / `MappingWithEquals` rules.
 */
export function asStringMap(value: unknown, ctx: FieldContext): Record<string, string> {
  const result: Record<string, string> = {};
  if (value === null || value === undefined) return result;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const text = asString(item, child(ctx, index));
      const equals = text.indexOf('=');
      if (equals < 0) result[text] = '';
      else result[text.slice(0, equals)] = text.slice(equals + 1);
    });
    return result;
  }
  for (const [key, item] of Object.entries(asMapping(value, ctx))) {
    result[key] = item === null || item === undefined ? '' : asString(item, child(ctx, key));
  }
  return result;
}

export function asDurationNs(value: unknown, ctx: FieldContext): number {
  const text = asString(value, ctx);
  const ns = parseDurationNs(text);
  if (ns === undefined) fail(ctx, `${ctx.field}: invalid duration "${text}"`);
  return ns;
}

export function asBytes(value: unknown, ctx: FieldContext): number {
  const bytes = typeof value === 'number' || typeof value === 'string' ? parseBytes(value) : undefined;
  if (bytes === undefined) fail(ctx, `${ctx.field}: invalid size ${JSON.stringify(value)}`);
  return bytes;
}

/** Rejects keys that are neither known nor `x-` extensions, naming the key and where it is. */
export function checkKeys(mapping: Mapping, allowed: ReadonlySet<string>, ctx: FieldContext): void {
  for (const key of Object.keys(mapping)) {
    if (allowed.has(key) || key.startsWith('x-')) continue;
    const where = describePlace(ctx);
    throw new UnsupportedKeyError(`unsupported key "${key}" in ${ctx.field}${where ? ` (${where})` : ''}`, {
      ...ctx,
      field: `${ctx.field}.${key}`,
    });
  }
}

/** Assigns `value` to `target[key]` only when it is defined, so printed models stay minimal. */
export function setIfDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** What reads one key of a mapping; `undefined` leaves the key out of the result. */
export type FieldReader<V> = (value: unknown, ctx: FieldContext) => V | undefined;

/**
 * A mapping whose every key has its reader: keys it does not know are an error naming them,
 * absent keys stay absent in the result.
 */
export function readFields<T extends object>(value: unknown, ctx: FieldContext, readers: { [K in keyof T]-?: FieldReader<T[K]> }): T {
  const spec = asMapping(value, ctx);
  checkKeys(spec, new Set(Object.keys(readers)), ctx);
  const result: Partial<T> = {};
  for (const key of Object.keys(readers) as Array<keyof T & string>) {
    if (spec[key] === undefined) continue;
    const read = readers[key](spec[key], child(ctx, key));
    if (read !== undefined) result[key] = read;
  }
  return result as T;
}
