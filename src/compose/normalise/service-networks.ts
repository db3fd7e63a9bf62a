// Service `networks:` (list of keys, or map of key → null | attachment settings) and
// `network_mode:`. Keys are checked against the top-level networks by the project pass.
import type { ServiceNetworkModel } from '../model.ts';
import { asInt, asList, asMapping, asString, asStringList, asStringMap, checkKeys, child, isMapping, type FieldContext } from './values.ts';

const ATTACHMENT_KEYS = new Set([
  'aliases',
  'ipv4_address',
  'ipv6_address',
  'link_local_ips',
  'mac_address',
  'driver_opts',
  'priority',
  'gw_priority',
  'interface_name',
]);
const STRING_KEYS = ['ipv4_address', 'ipv6_address', 'mac_address', 'interface_name'] as const;

export function normaliseServiceNetworks(value: unknown, ctx: FieldContext): Record<string, ServiceNetworkModel | null> {
  const result: Record<string, ServiceNetworkModel | null> = {};
  if (!isMapping(value)) {
    asList(value, ctx).forEach((key, index) => {
      result[asString(key, child(ctx, index))] = null;
    });
    return result;
  }
  for (const [key, spec] of Object.entries(value)) {
    result[key] = spec === null || spec === undefined ? null : readAttachment(spec, child(ctx, key));
  }
  return result;
}

function readAttachment(value: unknown, ctx: FieldContext): ServiceNetworkModel {
  const spec = asMapping(value, ctx);
  checkKeys(spec, ATTACHMENT_KEYS, ctx);
  const attachment: ServiceNetworkModel = {};
  if (spec.aliases !== undefined) attachment.aliases = asStringList(spec.aliases, child(ctx, 'aliases'));
  for (const key of STRING_KEYS) {
    if (spec[key] !== undefined && spec[key] !== null) attachment[key] = asString(spec[key], child(ctx, key));
  }
  if (spec.link_local_ips !== undefined) attachment.link_local_ips = asStringList(spec.link_local_ips, child(ctx, 'link_local_ips'));
  if (spec.driver_opts !== undefined) attachment.driver_opts = asStringMap(spec.driver_opts, child(ctx, 'driver_opts'));
  if (spec.priority !== undefined) attachment.priority = asInt(spec.priority, child(ctx, 'priority'));
  if (spec.gw_priority !== undefined) attachment.gw_priority = asInt(spec.gw_priority, child(ctx, 'gw_priority'));
  return attachment;
}

/**
 * The primary network (NetworkMode): highest `priority`, ties broken by key, as compose v2 does
 * in `convert.go`.
 */
export function primaryNetworkKey(networks: Record<string, ServiceNetworkModel | null>): string | undefined {
  const keys = Object.keys(networks).sort((a, b) => {
    const byPriority = (networks[b]?.priority ?? 0) - (networks[a]?.priority ?? 0);
    return byPriority !== 0 ? byPriority : a < b ? -1 : a > b ? 1 : 0;
  });
  return keys[0];
}
