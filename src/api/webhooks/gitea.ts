import { readGithubStylePush } from './github.ts';
import { firstHeader, type WebhookProvider } from './provider.ts';
import { verifyHmacSha256 } from './signatures.ts';

// Gitea and Forgejo (and Gogs): X-Gitea-Event / X-Forgejo-Event / X-Gogs-Event, a delivery id,
// and the HMAC either as X-Hub-Signature-256 (sha256=…) or as their own bare-hex header.
// Their push payload has GitHub's shape.

const EVENT_HEADERS = ['x-gitea-event', 'x-forgejo-event', 'x-gogs-event', 'x-github-event'];
const SIGNATURE_HEADERS = ['x-hub-signature-256', 'x-gitea-signature', 'x-forgejo-signature', 'x-gogs-signature'];
const DELIVERY_HEADERS = ['x-gitea-delivery', 'x-forgejo-delivery', 'x-gogs-delivery', 'x-github-delivery'];

export const gitea: WebhookProvider = {
  name: 'gitea',
  verify: (request, secret) => verifyHmacSha256(firstHeader(request, ...SIGNATURE_HEADERS), request.rawBody, secret),
  deliveryId: (request) => firstHeader(request, ...DELIVERY_HEADERS) || undefined,
  parse(request, payload) {
    const event = firstHeader(request, ...EVENT_HEADERS);
    if (event === 'ping') return { kind: 'ping' };
    if (event !== 'push') return { kind: 'ignored', event: event || 'none' };
    return { kind: 'push', push: readGithubStylePush(payload, 'Gitea') };
  },
};
