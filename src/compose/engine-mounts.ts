// Service volumes/tmpfs → HostConfig.Binds / HostConfig.Mounts / HostConfig.Tmpfs. Like compose v2
// (`pkg/compose/create.go`), simple binds and named volumes go to Binds (Binds creates a missing host
// directory); everything else (anonymous, tmpfs, non-default options) goes to Mounts.
import type { MountModel, ServiceModel } from './model.ts';

export interface MountSettings {
  Binds?: string[];
  Mounts?: Record<string, unknown>[];
  Tmpfs?: Record<string, string>;
}

export function mountSettings(model: ServiceModel, volumeName: (key: string) => string, extra: MountModel[] = []): MountSettings {
  const binds: string[] = [];
  const mounts: Record<string, unknown>[] = [];
  for (const mount of [...(model.volumes ?? []), ...extra]) {
    const bind = bindString(mount, volumeName);
    if (bind !== undefined) binds.push(bind);
    else mounts.push(engineMount(mount, volumeName));
  }
  const settings: MountSettings = {};
  if (binds.length > 0) settings.Binds = binds;
  if (mounts.length > 0) settings.Mounts = mounts;
  if (model.tmpfs !== undefined && model.tmpfs.length > 0) settings.Tmpfs = tmpfsMap(model.tmpfs);
  return settings;
}

function isSimpleBind(mount: MountModel): boolean {
  const bind = mount.bind ?? {};
  return mount.type === 'bind' && bind.create_host_path !== false && bind.propagation === undefined && bind.recursive === undefined;
}

function isSimpleVolume(mount: MountModel): boolean {
  const volume = mount.volume ?? {};
  return mount.type === 'volume' && mount.source !== undefined && !volume.nocopy && volume.subpath === undefined && volume.labels === undefined;
}

function bindString(mount: MountModel, volumeName: (key: string) => string): string | undefined {
  if (!isSimpleBind(mount) && !isSimpleVolume(mount)) return undefined;
  const source = mount.type === 'volume' ? volumeName(mount.source as string) : (mount.source as string);
  const options = [mount.read_only ? 'ro' : 'rw'];
  if (mount.bind?.selinux !== undefined) options.push(mount.bind.selinux);
  return `${source}:${mount.target}:${options.join(',')}`;
}

function engineMount(mount: MountModel, volumeName: (key: string) => string): Record<string, unknown> {
  const engine: Record<string, unknown> = { Type: mount.type, Target: mount.target };
  if (mount.source !== undefined) engine.Source = mount.type === 'volume' ? volumeName(mount.source) : mount.source;
  if (mount.read_only) engine.ReadOnly = true;
  if (mount.consistency !== undefined) engine.Consistency = mount.consistency;
  if (mount.type === 'bind' && mount.bind !== undefined) setNonEmpty(engine, 'BindOptions', bindOptions(mount.bind));
  if (mount.type === 'volume' && mount.volume !== undefined) setNonEmpty(engine, 'VolumeOptions', volumeOptions(mount.volume));
  if (mount.tmpfs !== undefined) setNonEmpty(engine, 'TmpfsOptions', tmpfsOptions(mount.tmpfs));
  if (mount.image?.subpath !== undefined) engine.ImageOptions = { Subpath: mount.image.subpath };
  return engine;
}

/** Empty option objects are left out, so they cannot make two equal mounts hash differently. */
function setNonEmpty(engine: Record<string, unknown>, key: string, options: Record<string, unknown>): void {
  if (Object.keys(options).length > 0) engine[key] = options;
}

function bindOptions(bind: NonNullable<MountModel['bind']>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (bind.propagation !== undefined) options.Propagation = bind.propagation;
  if (bind.create_host_path !== false) options.CreateMountpoint = true;
  if (bind.recursive === 'disabled') options.NonRecursive = true;
  if (bind.recursive === 'writable') options.ReadOnlyNonRecursive = true;
  if (bind.recursive === 'readonly') options.ReadOnlyForceRecursive = true;
  return options;
}

function volumeOptions(volume: NonNullable<MountModel['volume']>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (volume.nocopy) options.NoCopy = true;
  if (volume.subpath !== undefined) options.Subpath = volume.subpath;
  if (volume.labels !== undefined) options.Labels = volume.labels;
  return options;
}

function tmpfsOptions(tmpfs: NonNullable<MountModel['tmpfs']>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (tmpfs.size !== undefined) options.SizeBytes = tmpfs.size;
  if (tmpfs.mode !== undefined) options.Mode = tmpfs.mode;
  return options;
}

/** `/run:size=64m` → `{"/run": "size=64m"}`. */
function tmpfsMap(entries: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (colon < 0) result[entry] = '';
    else result[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  return result;
}
