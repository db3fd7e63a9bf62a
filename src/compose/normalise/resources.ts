// Top-level `networks:` and `volumes:` (docs/compose.md (d)): Docker names (`<project>_<key>`, `name:`,
// or the key itself when external), drivers, options and labels.
import type { ComposeNetwork, ComposeVolume } from '../types.ts';
import { asBool, asMapping, asString, asStringMap, checkKeys, child, fail, isMapping, type FieldContext, type Mapping } from './values.ts';

const NETWORK_KEYS = new Set(['name', 'external', 'driver', 'driver_opts', 'ipam', 'internal', 'attachable', 'enable_ipv4', 'enable_ipv6', 'labels']);
const VOLUME_KEYS = new Set(['name', 'external', 'driver', 'driver_opts', 'labels']);
const IPAM_KEYS = new Set(['driver', 'config', 'options']);

export interface ResourceContext extends FieldContext {
  projectName: string;
  warn: (message: string) => void;
}

interface Naming {
  name: string;
  external: boolean;
}

/**
 * `external: true` with no name → the key; `external: {name: x}` is the deprecated form (compose
 * warns, and rejects it when it disagrees with `name:`).
 */
function resolveNaming(key: string, spec: Mapping, ctx: ResourceContext): Naming {
  let name = spec.name === undefined || spec.name === null ? undefined : asString(spec.name, child(ctx, 'name'));
  let external = false;
  if (isMapping(spec.external)) {
    ctx.warn(`${ctx.field}: external.name is deprecated, use name`);
    const legacy = spec.external.name === undefined ? undefined : asString(spec.external.name, child(ctx, 'external.name'));
    if (legacy !== undefined && name !== undefined && legacy !== name) fail(ctx, `${ctx.field}: name and external.name conflict`);
    name ??= legacy;
    external = true;
  } else if (spec.external !== undefined && spec.external !== null) {
    external = asBool(spec.external, child(ctx, 'external'));
  }
  if (external) {
    const extra = Object.keys(spec).filter((field) => field !== 'name' && field !== 'external' && !field.startsWith('x-'));
    if (extra.length > 0) fail(ctx, `${ctx.field} is external, so ${extra.join(', ')} cannot be set`);
  }
  return { name: name ?? (external ? key : `${ctx.projectName}_${key}`), external };
}

/** The fields networks and volumes share: key, Docker name, external, driver, driver_opts, labels. */
function readCommon(key: string, value: unknown, allowed: ReadonlySet<string>, ctx: ResourceContext): { spec: Mapping; common: ComposeVolume } {
  const spec = asMapping(value, ctx);
  checkKeys(spec, allowed, ctx);
  const common: ComposeVolume = {
    key,
    ...resolveNaming(key, spec, ctx),
    driverOpts: asStringMap(spec.driver_opts, child(ctx, 'driver_opts')),
    labels: asStringMap(spec.labels, child(ctx, 'labels')),
  };
  if (spec.driver !== undefined && spec.driver !== null) common.driver = asString(spec.driver, child(ctx, 'driver'));
  return { spec, common };
}

export function normaliseNetwork(key: string, value: unknown, parent: ResourceContext): ComposeNetwork {
  const ctx = { ...parent, field: `networks.${key}` };
  const { spec, common } = readCommon(key, value, NETWORK_KEYS, ctx);
  const network: ComposeNetwork = {
    ...common,
    internal: flag(spec, 'internal', ctx),
    attachable: flag(spec, 'attachable', ctx),
    enableIpv6: flag(spec, 'enable_ipv6', ctx),
  };
  if (spec.enable_ipv4 !== undefined) network.enableIpv4 = flag(spec, 'enable_ipv4', ctx);
  if (spec.ipam !== undefined && spec.ipam !== null) network.ipam = readIpam(spec.ipam, child(ctx, 'ipam'));
  return network;
}

function flag(spec: Mapping, key: string, ctx: FieldContext): boolean {
  return spec[key] === undefined || spec[key] === null ? false : asBool(spec[key], child(ctx, key));
}

/** IPAM in Engine shape: `{Driver, Config: [{Subnet, IPRange, Gateway, AuxAddress}], Options}`. */
function readIpam(value: unknown, ctx: FieldContext): Record<string, unknown> {
  const spec = asMapping(value, ctx);
  checkKeys(spec, IPAM_KEYS, ctx);
  const ipam: Record<string, unknown> = {};
  if (spec.driver !== undefined) ipam.Driver = asString(spec.driver, child(ctx, 'driver'));
  if (spec.options !== undefined) ipam.Options = asStringMap(spec.options, child(ctx, 'options'));
  if (spec.config !== undefined) {
    const configs = Array.isArray(spec.config) ? spec.config : fail(ctx, `${ctx.field}.config must be a list`);
    ipam.Config = configs.map((entry, index) => readIpamPool(entry, child(ctx, `config[${index}]`)));
  }
  return ipam;
}

function readIpamPool(value: unknown, ctx: FieldContext): Record<string, unknown> {
  const spec = asMapping(value, ctx);
  checkKeys(spec, new Set(['subnet', 'ip_range', 'gateway', 'aux_addresses']), ctx);
  const pool: Record<string, unknown> = {};
  if (spec.subnet !== undefined) pool.Subnet = asString(spec.subnet, child(ctx, 'subnet'));
  if (spec.ip_range !== undefined) pool.IPRange = asString(spec.ip_range, child(ctx, 'ip_range'));
  if (spec.gateway !== undefined) pool.Gateway = asString(spec.gateway, child(ctx, 'gateway'));
  if (spec.aux_addresses !== undefined) pool.AuxiliaryAddresses = asStringMap(spec.aux_addresses, child(ctx, 'aux_addresses'));
  return pool;
}

export function normaliseVolume(key: string, value: unknown, parent: ResourceContext): ComposeVolume {
  return readCommon(key, value, VOLUME_KEYS, { ...parent, field: `volumes.${key}` }).common;
}

/** The implicit `default` network: `<project>_default`, bridge driver, no options. */
export function defaultNetwork(projectName: string): ComposeNetwork {
  return {
    key: 'default',
    name: `${projectName}_default`,
    external: false,
    driverOpts: {},
    labels: {},
    internal: false,
    attachable: false,
    enableIpv6: false,
  };
}
