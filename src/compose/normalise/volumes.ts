// Service `volumes:` (short `src:dst[:opts]` and long syntax) normalised to compose-go's long
// form. Bind sources become absolute paths; named sources stay volume keys (the project pass
// checks they are declared and maps them to Docker names).
import { resolveHostPath } from '../paths.ts';
import type { MountModel } from '../model.ts';
import {
  asBool, asBytes, asInt, asList, asMapping, asString, asStringMap, checkKeys, child, fail, isMapping,
  type FieldContext,
} from './values.ts';

const MOUNT_TYPES = new Set(['bind', 'volume', 'tmpfs', 'image', 'npipe', 'cluster']);
const LONG_KEYS = new Set(['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs', 'image']);
const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

export interface VolumeContext extends FieldContext {
  projectDir: string;
  rootDir: string;
}

export function normaliseVolumes(value: unknown, ctx: VolumeContext): MountModel[] {
  return asList(value, ctx).map((entry, index) => {
    const entryCtx = { ...ctx, ...child(ctx, index) };
    return isMapping(entry) ? longVolume(entry, entryCtx) : shortVolume(asString(entry, entryCtx), entryCtx);
  });
}

/** compose-go `format.ParseVolume`: a source starting with `.`, `/` or `~` is a bind. */
export function isBindSource(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~') || /^[A-Za-z]:[\\/]/.test(source);
}


function shortVolume(text: string, ctx: VolumeContext): MountModel {
  const parts = text.split(':');
  if (parts.length === 1) return { type: 'volume', target: parts[0], volume: {} };
  if (parts.length > 3 || parts.some((part) => part === '')) fail(ctx, `invalid volume specification "${text}"`);
  const [source, target, options = ''] = parts;
  const mount: MountModel = isBindSource(source)
    ? { type: 'bind', source: resolveHostPath(source, ctx), target, bind: { create_host_path: true } }
    : { type: 'volume', source, target, volume: {} };
  for (const option of options.split(',').filter((item) => item !== '')) applyShortOption(mount, option, text, ctx);
  return mount;
}

function applyShortOption(mount: MountModel, option: string, text: string, ctx: FieldContext): void {
  if (option === 'ro') mount.read_only = true;
  else if (option === 'rw') mount.read_only = false;
  else if (option === 'nocopy' && mount.volume) mount.volume.nocopy = true;
  else if ((option === 'z' || option === 'Z') && mount.bind) mount.bind.selinux = option;
  else if (PROPAGATIONS.has(option) && mount.bind) mount.bind.propagation = option;
  else fail(ctx, `invalid option "${option}" in volume "${text}"`);
  if (mount.read_only === false) delete mount.read_only;
}

function longVolume(entry: Record<string, unknown>, ctx: VolumeContext): MountModel {
  checkKeys(entry, LONG_KEYS, ctx);
  const type = asString(entry.type ?? fail(ctx, `${ctx.field}: type is required`), child(ctx, 'type'));
  if (!MOUNT_TYPES.has(type)) fail(ctx, `${ctx.field}: unknown volume type "${type}"`);
  const target = asString(entry.target ?? fail(ctx, `${ctx.field}: target is required`), child(ctx, 'target'));
  const mount: MountModel = { type: type as MountModel['type'], target };
  if (entry.source !== undefined && entry.source !== null && entry.source !== '') {
    const source = asString(entry.source, child(ctx, 'source'));
    mount.source = type === 'bind' ? resolveHostPath(source, ctx) : source;
  }
  if (type === 'bind' && mount.source === undefined) fail(ctx, `${ctx.field}: a bind mount needs a source`);
  if (entry.read_only !== undefined && asBool(entry.read_only, child(ctx, 'read_only'))) mount.read_only = true;
  if (entry.consistency !== undefined) mount.consistency = asString(entry.consistency, child(ctx, 'consistency'));
  readMountOptions(mount, entry, ctx);
  return mount;
}

function readMountOptions(mount: MountModel, entry: Record<string, unknown>, ctx: FieldContext): void {
  if (mount.type === 'bind' || entry.bind !== undefined) mount.bind = bindOptions(entry.bind, child(ctx, 'bind'));
  if (mount.type === 'volume' || entry.volume !== undefined) mount.volume = volumeOptions(entry.volume, child(ctx, 'volume'));
  if (entry.tmpfs !== undefined) mount.tmpfs = tmpfsOptions(entry.tmpfs, child(ctx, 'tmpfs'));
  if (entry.image !== undefined) {
    const image = asMapping(entry.image, child(ctx, 'image'));
    checkKeys(image, new Set(['subpath']), child(ctx, 'image'));
    mount.image = image.subpath === undefined ? {} : { subpath: asString(image.subpath, child(ctx, 'image.subpath')) };
  }
}

function bindOptions(value: unknown, ctx: FieldContext): NonNullable<MountModel['bind']> {
  const options = asMapping(value, ctx);
  checkKeys(options, new Set(['propagation', 'create_host_path', 'selinux', 'recursive']), ctx);
  const bind: NonNullable<MountModel['bind']> = {
    create_host_path: options.create_host_path === undefined ? true : asBool(options.create_host_path, child(ctx, 'create_host_path')),
  };
  if (options.propagation !== undefined) bind.propagation = asString(options.propagation, child(ctx, 'propagation'));
  if (options.selinux !== undefined) bind.selinux = asString(options.selinux, child(ctx, 'selinux'));
  if (options.recursive !== undefined) bind.recursive = asString(options.recursive, child(ctx, 'recursive'));
  return bind;
}

function volumeOptions(value: unknown, ctx: FieldContext): NonNullable<MountModel['volume']> {
  const options = asMapping(value, ctx);
  checkKeys(options, new Set(['nocopy', 'subpath', 'labels']), ctx);
  const volume: NonNullable<MountModel['volume']> = {};
  if (options.nocopy !== undefined && asBool(options.nocopy, child(ctx, 'nocopy'))) volume.nocopy = true;
  if (options.subpath !== undefined) volume.subpath = asString(options.subpath, child(ctx, 'subpath'));
  if (options.labels !== undefined) volume.labels = asStringMap(options.labels, child(ctx, 'labels'));
  return volume;
}

function tmpfsOptions(value: unknown, ctx: FieldContext): NonNullable<MountModel['tmpfs']> {
  const options = asMapping(value, ctx);
  checkKeys(options, new Set(['size', 'mode']), ctx);
  const tmpfs: NonNullable<MountModel['tmpfs']> = {};
  if (options.size !== undefined) tmpfs.size = asBytes(options.size, child(ctx, 'size'));
  if (options.mode !== undefined) tmpfs.mode = parseMode(options.mode, child(ctx, 'mode'));
  return tmpfs;
}

/**
 * File modes: a string is octal digits (compose-go FileMode: `"1777"`); a YAML number is taken as
 * is, and `0755` already arrives as 493 because go-yaml reads a leading zero as octal.
 */
function parseMode(value: unknown, ctx: FieldContext): number {
  if (typeof value === 'string' && /^0?[0-7]+$/.test(value)) return parseInt(value, 8);
  return asInt(value, ctx);
}
