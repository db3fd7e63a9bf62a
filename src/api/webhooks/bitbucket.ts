import { z } from 'zod';
import { readPayload } from './payload.ts';
import { firstHeader, nonEmpty, type WebhookEvent, type WebhookProvider } from './provider.ts';
import { verifyHmacSha256 } from './signatures.ts';

// Bitbucket Cloud (X-Event-Key repo:push, X-Request-UUID) and Bitbucket Data Center
// (repo:refs_changed, diagnostics:ping, X-Request-Id); both sign with X-Hub-Signature =
// sha256=HMAC of the body.

const link = z.object({ href: z.string() });

const cloudPush = z.object({
  repository: z.object({
    full_name: z.string().optional(),
    links: z.object({ html: link.optional() }).optional(),
  }),
  push: z.object({
    changes: z.array(z.object({
      new: z.object({ type: z.string(), name: z.string() }).nullable().optional(),
    })),
  }),
});

const serverPush = z.object({
  repository: z.object({
    links: z.object({ clone: z.array(link.extend({ name: z.string().optional() })).optional(), self: z.array(link).optional() }).optional(),
  }),
  changes: z.array(z.object({
    ref: z.object({ id: z.string() }),
    type: z.string().optional(),
  })),
});

function cloudEvent(payload: unknown): WebhookEvent {
  const push = readPayload(cloudPush, payload, 'Bitbucket');
  const fullName = push.repository.full_name;
  const urls = nonEmpty([push.repository.links?.html?.href, fullName ? `https://bitbucket.org/${fullName}` : undefined]);
  const refs = push.push.changes.flatMap((change) => {
    if (!change.new) return [];
    return [change.new.type === 'tag' ? `refs/tags/${change.new.name}` : `refs/heads/${change.new.name}`];
  });
  return { kind: 'push', push: { repositoryUrls: urls, refs } };
}

function serverEvent(payload: unknown): WebhookEvent {
  const push = readPayload(serverPush, payload, 'Bitbucket');
  const links = push.repository.links ?? {};
  const urls = nonEmpty([...(links.clone ?? []).map((l) => l.href), ...(links.self ?? []).map((l) => l.href.replace(/\/browse$/, ''))]);
  const refs = push.changes.filter((change) => change.type !== 'DELETE').map((change) => change.ref.id);
  return { kind: 'push', push: { repositoryUrls: urls, refs } };
}

export const bitbucket: WebhookProvider = {
  name: 'bitbucket',
  verify: (request, secret) => verifyHmacSha256(request.header('x-hub-signature'), request.rawBody, secret),
  deliveryId: (request) => firstHeader(request, 'x-request-uuid', 'x-request-id') || undefined,
  parse(request, payload) {
    const event = request.header('x-event-key');
    if (event === 'diagnostics:ping') return { kind: 'ping' };
    if (event === 'repo:push') return cloudEvent(payload);
    if (event === 'repo:refs_changed') return serverEvent(payload);
    return { kind: 'ignored', event: event || 'none' };
  },
};
