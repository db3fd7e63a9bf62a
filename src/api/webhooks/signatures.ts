import { createHmac, timingSafeEqual } from 'node:crypto';

// Signature and token checks, all in constant time. A signature header that is absent is
// `missing`; present but wrong (or malformed) is `invalid`.

export type Verdict = 'valid' | 'missing' | 'invalid';

export function hmacSha256Hex(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `sha256=<hex>` (GitHub, Gitea, Bitbucket) or bare `<hex>` (Gitea's own header) over the raw body. */
export function verifyHmacSha256(header: string, body: Buffer, secret: string): Verdict {
  if (!header) return 'missing';
  const hex = header.trim().replace(/^sha256=/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return 'invalid';
  const expected = Buffer.from(hmacSha256Hex(secret, body), 'hex');
  return sameBytes(Buffer.from(hex, 'hex'), expected) ? 'valid' : 'invalid';
}

/** A shared token sent as is (GitLab's X-Gitlab-Token), compared by digest in constant time. */
export function verifyToken(header: string, secret: string): Verdict {
  if (!header) return 'missing';
  const digest = (text: string) => createHmac('sha256', 'accelero-token-compare').update(text, 'utf8').digest();
  return sameBytes(digest(header), digest(secret)) ? 'valid' : 'invalid';
}
