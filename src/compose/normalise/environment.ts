// `environment:` (list and map) and `env_file:` (docs/compose.md A.6–A.8): env_file values first (later
// files win), then `environment:` over them; an entry without a value is taken from the project
// environment and, when that does not have it either, stays a bare `K` for the Engine.
import type { EnvFileModel } from '../model.ts';
import { parseEnvFile } from '../dotenv.ts';
import { EnvFileError } from '../errors.ts';
import { readInsideRoot } from '../paths.ts';
import { asBool, asList, asString, checkKeys, child, describe, fail, isMapping, type FieldContext } from './values.ts';

export type EnvironmentEntries = Record<string, string | null>;

export interface EnvironmentContext extends FieldContext {
  projectDir: string;
  rootDir: string;
  fileCache?: Map<string, string | undefined>;
  /** The project environment (process env over `.env`). */
  lookup: (name: string) => string | undefined;
  onUnset?: (name: string) => void;
}

/** The entries as written: list `K=v` / `K`, or map `K: v` / `K:` (null). */
export function readEnvironmentEntries(value: unknown, ctx: FieldContext): EnvironmentEntries {
  const entries: EnvironmentEntries = {};
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const text = asString(item, child(ctx, index));
      const equals = text.indexOf('=');
      const key = equals < 0 ? text : text.slice(0, equals);
      if (key !== key.trimEnd() || key === '') fail(child(ctx, index), `invalid environment entry "${text}"`);
      entries[key] = equals < 0 ? null : text.slice(equals + 1);
    });
    return entries;
  }
  if (!isMapping(value)) fail(ctx, `${ctx.field} must be a mapping or a list, got ${describe(value)}`);
  for (const [key, item] of Object.entries(value)) {
    entries[key] = item === null || item === undefined ? null : asString(item, child(ctx, key));
  }
  return entries;
}

export function readEnvFileList(value: unknown, ctx: FieldContext): EnvFileModel[] {
  const items = typeof value === 'string' ? [value] : asList(value, ctx);
  return items.map((item, index) => {
    const itemCtx = child(ctx, index);
    if (!isMapping(item)) return { path: asString(item, itemCtx), required: true };
    checkKeys(item, new Set(['path', 'required', 'format']), itemCtx);
    const file: EnvFileModel = {
      path: asString(item.path ?? fail(itemCtx, `${itemCtx.field}: path is required`), child(itemCtx, 'path')),
      required: item.required === undefined ? true : asBool(item.required, child(itemCtx, 'required')),
    };
    if (item.format !== undefined) file.format = asString(item.format, child(itemCtx, 'format'));
    return file;
  });
}

/** The final container environment of a service. */
export function resolveEnvironment(
  declared: EnvironmentEntries,
  envFiles: EnvFileModel[],
  ctx: EnvironmentContext,
): Record<string, string | null> {
  const declaredValues = (name: string): string | undefined => declared[name] ?? undefined;
  const lookup = (name: string): string | undefined => ctx.lookup(name) ?? declaredValues(name);
  let fromFiles: Record<string, string> = {};
  envFiles.forEach((envFile, index) => {
    fromFiles = readOneEnvFile(envFile, fromFiles, { ...ctx, ...child(ctx, index), lookup });
  });
  const result: Record<string, string | null> = { ...fromFiles };
  for (const [key, value] of Object.entries(declared)) {
    result[key] = value ?? ctx.lookup(key) ?? fromFiles[key] ?? null;
  }
  return result;
}

function readOneEnvFile(envFile: EnvFileModel, assigned: Record<string, string>, ctx: EnvironmentContext): Record<string, string> {
  const content = readInsideRoot(envFile.path, ctx);
  if (content === undefined) {
    if (envFile.required) fail(ctx, `env file ${envFile.path} not found`);
    return assigned;
  }
  if (envFile.format === 'raw') return { ...assigned, ...parseRawEnvFile(content) };
  if (envFile.format !== undefined) fail(ctx, `unsupported env_file format "${envFile.format}"`);
  try {
    return parseEnvFile(content, { file: envFile.path, lookup: ctx.lookup, assigned, onUnset: ctx.onUnset });
  } catch (error) {
    // Name the service too: one env file often serves several services.
    if (error instanceof EnvFileError) throw new EnvFileError(`service "${ctx.service}": ${error.message}`, { ...ctx, file: envFile.path, field: 'env_file' });
    throw error;
  }
}

/** `format: raw`: `K=V` lines taken literally, no quotes, escapes or interpolation. */
function parseRawEnvFile(content: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of content.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals > 0) result[line.slice(0, equals).trim()] = line.slice(equals + 1);
  }
  return result;
}
