// The service configuration hash (docs/architecture.md "Docker identity and labels",
// docs/compose.md (c)): SHA-256 hex of a canonical JSON of the engine create options. Keys are
// sorted at every depth and undefined values dropped, so the hash does not depend on YAML key
// order; array order is kept because it is meaningful (Cmd, Mounts). Replicas, depends_on,
// profiles, pull_policy and build never reach the create options, so they cannot change the hash.
import { createHash } from 'node:crypto';
import type { EngineCreateOptions } from './types.ts';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      out += value[index] === undefined ? 'null' : canonicalJson(value[index]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    if (record[key] === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  }
  return `${out}}`;
}

export function computeConfigHash(create: EngineCreateOptions): string {
  return createHash('sha256').update(canonicalJson(create)).digest('hex');
}
