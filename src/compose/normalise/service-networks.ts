// Service `networks:` (list of keys, or map of key → null | attachment settings) and
// `network_mode:`. Keys are checked against the top-level networks by the project pass.
import type { ServiceNetworkModel } from '../model.ts';
import { asInt, asList, asString, asStringList, asStringMap, child, isMapping, readFields, type FieldContext } from './values.ts';

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

/** `null` for an address means "none", as compose-go reads it. */
const optionalString = (value: unknown, ctx: FieldContext) => (value === null ? undefined : asString(value, ctx));

function readAttachment(value: unknown, ctx: FieldContext): ServiceNetworkModel {
  return readFields<ServiceNetworkModel>(value, ctx, {
    aliases: asStringList, ipv4_address: optionalString, ipv6_address: optionalString, link_local_ips: asStringList,
    mac_address: optionalString, driver_opts: asStringMap, priority: asInt, gw_priority: asInt, interface_name: optionalString,
  });
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
