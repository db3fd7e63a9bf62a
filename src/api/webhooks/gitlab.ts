import { z } from 'zod';
import { readPayload } from './payload.ts';
import { firstHeader, nonEmpty, ZERO_COMMIT, type WebhookProvider } from './provider.ts';
import { verifyToken } from './signatures.ts';

// GitLab: X-Gitlab-Event ("Push Hook", "Tag Push Hook"), the secret token sent as is in
// X-Gitlab-Token, and a delivery id in Idempotency-Key (stable across retries) or
// X-Gitlab-Event-UUID. GitLab has no ping event: its "Test" button sends a push.

const PUSH_EVENTS = new Set(['Push Hook', 'Tag Push Hook', 'System Hook']);

const gitlabPush = z.object({
  object_kind: z.enum(['push', 'tag_push']),
  ref: z.string(),
  after: z.string().optional(),
  project: z.object({
    git_http_url: z.string().nullish(),
    git_ssh_url: z.string().nullish(),
    web_url: z.string().nullish(),
  }).optional(),
  repository: z.object({
    url: z.string().nullish(),
    git_http_url: z.string().nullish(),
    git_ssh_url: z.string().nullish(),
    homepage: z.string().nullish(),
  }).optional(),
});

export const gitlab: WebhookProvider = {
  name: 'gitlab',
  verify: (request, secret) => verifyToken(request.header('x-gitlab-token'), secret),
  deliveryId: (request) => firstHeader(request, 'idempotency-key', 'x-gitlab-event-uuid') || undefined,
  parse(request, payload) {
    const event = request.header('x-gitlab-event');
    const kind = (payload as { object_kind?: unknown } | null)?.object_kind;
    if (!PUSH_EVENTS.has(event) || (kind !== 'push' && kind !== 'tag_push' && event === 'System Hook')) {
      return { kind: 'ignored', event: event || 'none' };
    }
    const push = readPayload(gitlabPush, payload, 'GitLab');
    const p = push.project ?? {};
    const r = push.repository ?? {};
    const urls = nonEmpty([p.git_http_url, p.git_ssh_url, p.web_url, r.git_http_url, r.git_ssh_url, r.url, r.homepage]);
    return { kind: 'push', push: { repositoryUrls: urls, refs: ZERO_COMMIT.test(push.after ?? '') ? [] : [push.ref] } };
  },
};
