import { z } from 'zod';
import { readPayload } from './payload.ts';
import type { WebhookProvider } from './provider.ts';
import { verifyHmacSha256 } from './signatures.ts';

// Generic: for CI jobs and scripts. Body `{"repo_url", "ref" | "branch"}`, signed with
// X-Accelero-Signature-256 (or X-Hub-Signature-256) = sha256=HMAC of the body; optional
// X-Accelero-Event: ping and X-Accelero-Delivery (a unique id per delivery).

export const genericPushSchema = z
  .object({
    repo_url: z.string().min(1).max(2048),
    ref: z.string().min(1).max(255).optional(),
    branch: z.string().min(1).max(255).optional(),
    commit: z.string().max(64).optional(),
  })
  .strict()
  .refine((push) => push.ref !== undefined || push.branch !== undefined, { message: 'ref or branch is required', path: ['ref'] });

export const generic: WebhookProvider = {
  name: 'generic',
  verify: (request, secret) =>
    verifyHmacSha256(request.header('x-accelero-signature-256') || request.header('x-hub-signature-256'), request.rawBody, secret),
  deliveryId: (request) => request.header('x-accelero-delivery') || undefined,
  parse(request, payload) {
    if (request.header('x-accelero-event') === 'ping') return { kind: 'ping' };
    const push = readPayload(genericPushSchema, payload, 'generic');
    return { kind: 'push', push: { repositoryUrls: [push.repo_url], refs: [push.ref ?? push.branch!] } };
  },
};
