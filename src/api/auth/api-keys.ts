import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyStore } from '../../../persistence/api-key-store.ts';
import type { ApiKeyRecord } from '../../../persistence/entities/records.ts';
import type { Caller, Role } from './roles.ts';

// X-API-KEY verification. Keys are compared as SHA-256 digests: the bootstrap key with
// timingSafeEqual, stored keys by their digest (only digests are stored), so neither the
// length nor the content of a key leaks through timing.

export const API_KEY_PATTERN = /^acc_[0-9a-f]{64}$/;
export const BOOTSTRAP_ADMIN = 'admin';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function sameDigest(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/** last_used_at is written at most this often per key, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

export class ApiKeyAuthenticator {
  private readonly bootstrapDigest: string;
  private readonly lastTouched = new Map<string, number>();

  constructor(bootstrapKey: string, private readonly store: ApiKeyStore) {
    this.bootstrapDigest = hashApiKey(bootstrapKey);
  }

  /** The caller a key belongs to, 'disabled' for a key an admin switched off, or undefined when no key matches. */
  async identify(key: string): Promise<Caller | 'disabled' | undefined> {
    const digest = hashApiKey(key);
    if (sameDigest(digest, this.bootstrapDigest)) {
      return { name: BOOTSTRAP_ADMIN, keyId: null, role: 'admin', stacks: null };
    }
    const stored = await this.store.findByHash(digest);
    if (!stored || !sameDigest(stored.key_hash, digest)) return undefined;
    if (stored.disabled) return 'disabled';
    this.touch(stored.id);
    return { name: stored.name, keyId: stored.id, role: stored.role, ...reachOf(stored) };
  }

  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(id) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.lastTouched.set(id, now);
    void this.store.touch(id, new Date(now).toISOString()).catch(() => undefined);
  }

  forget(id: string): void {
    this.lastTouched.delete(id);
  }
}

/** The stacks a stored key reaches and its role on each: `stacks` at the key's role, `stack_grants` at theirs. */
export function reachOf(key: Pick<ApiKeyRecord, 'role' | 'stacks' | 'stack_grants'>): Pick<Caller, 'stacks' | 'grants'> {
  if (!key.stacks && !key.stack_grants) return { stacks: null, grants: null };
  const grants: Record<string, Role> = { ...Object.fromEntries((key.stacks ?? []).map((stack) => [stack, key.role])), ...(key.stack_grants ?? {}) };
  return { stacks: Object.keys(grants), grants };
}
