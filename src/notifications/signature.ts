import { createHmac, timingSafeEqual } from 'node:crypto';

// Generic webhooks are signed like GitHub's: HMAC-SHA256 of the exact body bytes, hex, with
// the channel's secret, in `X-Accelero-Signature: sha256=<hex>`.

export const SIGNATURE_HEADER = 'X-Accelero-Signature';
export const EVENT_HEADER = 'X-Accelero-Event';
export const DELIVERY_HEADER = 'X-Accelero-Delivery';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does: true when `signature` is the body's HMAC with `secret`. */
export function verifySignature(secret: string, body: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
