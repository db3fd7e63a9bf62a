import { z } from 'zod';
import { readPayload } from './payload.ts';
import { nonEmpty, ZERO_COMMIT, type WebhookProvider } from './provider.ts';
import { verifyHmacSha256 } from './signatures.ts';

// GitHub: X-GitHub-Event (ping, push), X-GitHub-Delivery, X-Hub-Signature-256 = sha256=HMAC.

export const githubRepository = z.object({
  clone_url: z.string().nullish(),
  ssh_url: z.string().nullish(),
  git_url: z.string().nullish(),
  html_url: z.string().nullish(),
  url: z.string().nullish(),
});

export const githubStylePush = z.object({
  ref: z.string(),
  after: z.string().optional(),
  deleted: z.boolean().optional(),
  repository: githubRepository,
});

/** GitHub, Gitea and Forgejo share the push payload shape. */
export function readGithubStylePush(payload: unknown, provider: string) {
  const push = readPayload(githubStylePush, payload, provider);
  const deleted = push.deleted === true || ZERO_COMMIT.test(push.after ?? '');
  const r = push.repository;
  return {
    repositoryUrls: nonEmpty([r.clone_url, r.ssh_url, r.git_url, r.html_url, r.url]),
    refs: deleted ? [] : [push.ref],
  };
}

export const github: WebhookProvider = {
  name: 'github',
  verify: (request, secret) => verifyHmacSha256(request.header('x-hub-signature-256'), request.rawBody, secret),
  deliveryId: (request) => request.header('x-github-delivery') || undefined,
  parse(request, payload) {
    const event = request.header('x-github-event');
    if (event === 'ping') return { kind: 'ping' };
    if (event !== 'push') return { kind: 'ignored', event: event || 'none' };
    return { kind: 'push', push: readGithubStylePush(payload, 'GitHub') };
  },
};
