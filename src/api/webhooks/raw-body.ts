import type { Context } from 'koa';
import { PayloadTooLargeError } from '../errors.ts';

// Webhook signatures are computed over the exact bytes sent, so webhook routes read the body
// themselves (the JSON body parser is not used there), with the same 1 MiB cap.

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export async function readRawBody(ctx: Context, limit = WEBHOOK_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
