// `ports:` (short and long syntax) and `expose:`, normalised to compose-go's long form with one
// entry per container port (ranges expanded the way docker/go-connections `ParsePortSpec` does).
import type { PortModel } from '../model.ts';
import { asInt, asList, asString, checkKeys, child, fail, isMapping, setIfDefined, type FieldContext } from './values.ts';

const LONG_PORT_KEYS = new Set(['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol']);
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

export function normalisePorts(value: unknown, ctx: FieldContext): PortModel[] {
  return asList(value, ctx).flatMap((entry, index) => {
    const entryCtx = child(ctx, index);
    if (isMapping(entry)) return [longPort(entry, entryCtx)];
    if (typeof entry === 'number') return [{ target: asPortNumber(entry, entryCtx), protocol: 'tcp', mode: 'ingress' }];
    return shortPorts(asString(entry, entryCtx), entryCtx);
  });
}

function longPort(entry: Record<string, unknown>, ctx: FieldContext): PortModel {
  checkKeys(entry, LONG_PORT_KEYS, ctx);
  if (entry.target === undefined) fail(ctx, `${ctx.field}: target is required`);
  const port: PortModel = {
    target: asPortNumber(entry.target, child(ctx, 'target')),
    protocol: protocolOf(entry.protocol === undefined ? 'tcp' : asString(entry.protocol, ctx), ctx),
    mode: entry.mode === undefined ? 'ingress' : asString(entry.mode, child(ctx, 'mode')),
  };
  if (entry.published !== undefined && entry.published !== null && entry.published !== '') {
    port.published = checkPortRange(asString(entry.published, child(ctx, 'published')), child(ctx, 'published'));
  }
  for (const key of ['host_ip', 'name', 'app_protocol'] as const) {
    if (entry[key] !== undefined) setIfDefined(port, key, asString(entry[key], child(ctx, key)));
  }
  return port;
}

interface ShortParts {
  hostIp?: string;
  published?: string;
  target: string;
  protocol: string;
}

/** `[[ip:]published:]target[/protocol]`, with `[v6]` or bare IPv6 host addresses. */
function splitShortPort(text: string, ctx: FieldContext): ShortParts {
  const slash = text.lastIndexOf('/');
  const protocol = slash >= 0 ? protocolOf(text.slice(slash + 1), ctx) : 'tcp';
  const spec = slash >= 0 ? text.slice(0, slash) : text;
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']:');
    if (close < 0) fail(ctx, `invalid port "${text}"`);
    const rest = spec.slice(close + 2).split(':');
    if (rest.length !== 2) fail(ctx, `invalid port "${text}"`);
    return { hostIp: spec.slice(1, close), published: rest[0], target: rest[1], protocol };
  }
  const parts = spec.split(':');
  if (parts.length === 1) return { target: parts[0], protocol };
  if (parts.length === 2) return { published: parts[0], target: parts[1], protocol };
  const target = parts.pop() as string;
  const published = parts.pop() as string;
  return { hostIp: parts.join(':'), published, target, protocol };
}

function shortPorts(text: string, ctx: FieldContext): PortModel[] {
  const parts = splitShortPort(text.trim(), ctx);
  const [targetStart, targetEnd] = parseRange(parts.target, text, ctx);
  const published = parts.published === '' ? undefined : parts.published;
  const hostRange = published === undefined ? undefined : parseRange(published, text, ctx);
  const targetCount = targetEnd - targetStart;
  if (hostRange !== undefined && targetCount > 0 && hostRange[1] - hostRange[0] !== targetCount) {
    fail(ctx, `invalid port "${text}": the host and container port ranges differ in size`);
  }
  const ports: PortModel[] = [];
  for (let offset = 0; offset <= targetCount; offset++) {
    const port: PortModel = { target: targetStart + offset, protocol: parts.protocol, mode: 'ingress' };
    if (hostRange !== undefined) {
      // One container port with a host range keeps the range: the Engine picks a free one.
      port.published = targetCount === 0 ? (published as string) : String(hostRange[0] + offset);
    }
    if (parts.hostIp !== undefined && parts.hostIp !== '') port.host_ip = parts.hostIp;
    ports.push(port);
  }
  return ports;
}

function parseRange(text: string, whole: string, ctx: FieldContext): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (match === null) fail(ctx, `invalid port "${whole}"`);
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start > 65535 || end > 65535 || end < start) fail(ctx, `invalid port range "${text}" in "${whole}"`);
  return [start, end];
}

function checkPortRange(text: string, ctx: FieldContext): string {
  parseRange(text, text, ctx);
  return text;
}

function asPortNumber(value: unknown, ctx: FieldContext): number {
  const port = asInt(value, ctx);
  if (port < 1 || port > 65535) fail(ctx, `${ctx.field}: port ${port} is out of range`);
  return port;
}

function protocolOf(text: string, ctx: FieldContext): string {
  const protocol = text.toLowerCase();
  if (!PROTOCOLS.has(protocol)) fail(ctx, `${ctx.field}: unknown protocol "${text}"`);
  return protocol;
}

/** `expose:` entries kept as strings (`"3000"`, `"8000-8002/udp"`), checked for shape. */
export function normaliseExpose(value: unknown, ctx: FieldContext): string[] {
  return asList(value, ctx).map((entry, index) => {
    const entryCtx = child(ctx, index);
    const text = asString(entry, entryCtx);
    const [range, protocol] = text.split('/');
    parseRange(range, text, entryCtx);
    if (protocol !== undefined) protocolOf(protocol, entryCtx);
    return text;
  });
}
