// File-based `secrets:` and `configs:` (docs/compose.md (b)): compose mounts the file read-only, at
// `/run/secrets/<name>` for a secret and `/<name>` for a config (or at `target`). Secrets and
// configs that compose copies into the container after create (`environment:`, `content:`) and
// external ones need Engine calls the Docker layer does not make, so they are errors, not dropped.
import { resolveHostPath } from '../paths.ts';
import type { MountModel } from '../model.ts';
import { asList, asMapping, asString, checkKeys, child, fail, isMapping, type FieldContext, type Mapping } from './values.ts';

export type FileKind = 'secrets' | 'configs';

export interface FileResource {
  /** Absolute path of the file on the host. */
  file: string;
}

export interface FileReference {
  source: string;
  target: string;
}

const TOP_LEVEL_KEYS: Record<FileKind, Set<string>> = {
  secrets: new Set(['file', 'environment', 'external', 'name']),
  configs: new Set(['file', 'environment', 'content', 'external', 'name']),
};

/** Top-level `secrets:` / `configs:` → key → file on the host. */
type RootedContext = FieldContext & { projectDir: string; rootDir: string };

export function normaliseFileResources(kind: FileKind, value: unknown, ctx: RootedContext): Record<string, FileResource> {
  const result: Record<string, FileResource> = {};
  for (const [key, spec] of Object.entries(asMapping(value, ctx))) {
    const specCtx = child(ctx, key);
    const mapping = asMapping(spec, specCtx);
    checkKeys(mapping, TOP_LEVEL_KEYS[kind], specCtx);
    const unsupported = ['environment', 'content', 'external'].find((field) => mapping[field] !== undefined && mapping[field] !== false);
    if (unsupported !== undefined) {
      fail(specCtx, `${kind}.${key}: "${unsupported}" ${kind} are not supported by Accelero; use file:`);
    }
    if (mapping.file === undefined || mapping.file === null) fail(specCtx, `${kind}.${key}: file is required`);
    result[key] = { file: resolveHostPath(asString(mapping.file, child(specCtx, 'file')), { ...ctx, ...specCtx }) };
  }
  return result;
}

/** A service's `secrets:` / `configs:` (short `- name` or long `{source, target, uid, gid, mode}`). */
export function normaliseFileReferences(kind: FileKind, value: unknown, ctx: FieldContext & { warn: (message: string) => void }): FileReference[] {
  return asList(value, ctx).map((entry, index) => {
    const entryCtx = child(ctx, index);
    if (!isMapping(entry)) return withDefaultTarget(kind, asString(entry, entryCtx), undefined);
    checkKeys(entry, new Set(['source', 'target', 'uid', 'gid', 'mode']), entryCtx);
    for (const ignored of ['uid', 'gid', 'mode']) {
      if (entry[ignored] !== undefined) ctx.warn(`service "${ctx.service}": ${kind} ${ignored} is ignored for file-based ${kind} (compose does the same)`);
    }
    const source = asString(entry.source ?? fail(entryCtx, `${entryCtx.field}: source is required`), child(entryCtx, 'source'));
    return withDefaultTarget(kind, source, entry.target === undefined ? undefined : asString(entry.target, child(entryCtx, 'target')));
  });
}

/** A secret's relative target lives under /run/secrets; a config's default target is /<name>. */
function withDefaultTarget(kind: FileKind, source: string, target: string | undefined): FileReference {
  if (kind === 'secrets') {
    const name = target ?? source;
    return { source, target: name.startsWith('/') ? name : `/run/secrets/${name}` };
  }
  return { source, target: target ?? `/${source}` };
}

/** The read-only bind mounts for a service's references; undeclared names are an error. */
export function fileMounts(kind: FileKind, references: FileReference[], declared: Record<string, FileResource>, ctx: FieldContext): MountModel[] {
  return references.map((reference) => {
    const resource = declared[reference.source];
    if (resource === undefined) fail(ctx, `service "${ctx.service}" refers to undefined ${kind.slice(0, -1)} ${reference.source}`);
    // create_host_path false: a missing file must fail the create, not become an empty directory.
    return { type: 'bind', source: resource.file, target: reference.target, read_only: true, bind: { create_host_path: false } };
  });
}

export function declaredFileResources(doc: Mapping, kind: FileKind, ctx: RootedContext): Record<string, FileResource> {
  return normaliseFileResources(kind, doc[kind], { ...ctx, field: kind });
}
