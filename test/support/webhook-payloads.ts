import { createHmac, randomUUID } from 'node:crypto';

// Webhook requests shaped like each provider's real push and ping deliveries (headers and
// body, trimmed of fields Accelero does not read but keeping their structure), signed the
// way each provider signs.

export interface WebhookDelivery {
  headers: Record<string, string>;
  body: string;
}

export interface PushSpec {
  /** e.g. `github.com` */
  host: string;
  owner: string;
  repo: string;
  /** Full ref, e.g. `refs/heads/main`. */
  ref: string;
  /** Undefined = unsigned. */
  secret?: string;
  deliveryId?: string;
  /** The branch (or tag) was deleted. */
  deleted?: boolean;
}

const sha = (seed: string) => createHmac('sha1', 'commit').update(seed).digest('hex');
const ZERO = '0'.repeat(40);
const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

function commit(spec: PushSpec, url: string) {
  return {
    id: sha(spec.ref), message: 'Bump the web image', timestamp: '2026-11-26T08:00:00Z', url: `${url}/commit/${sha(spec.ref)}`,
    author: { name: 'Ada', email: 'ada@example.com', username: 'ada' }, added: [], removed: [], modified: ['docker-compose.yaml'],
  };
}

function githubStyleBody(spec: PushSpec) {
  const web = `https://${spec.host}/${spec.owner}/${spec.repo}`;
  const after = spec.deleted ? ZERO : sha(spec.ref);
  return {
    ref: spec.ref, before: sha(`${spec.ref}^`), after, created: false, deleted: Boolean(spec.deleted), forced: false,
    compare: `${web}/compare/${sha(`${spec.ref}^`).slice(0, 12)}...${after.slice(0, 12)}`,
    commits: spec.deleted ? [] : [commit(spec, web)], head_commit: spec.deleted ? null : commit(spec, web),
    repository: {
      id: 1296269, name: spec.repo, full_name: `${spec.owner}/${spec.repo}`, private: true,
      owner: { login: spec.owner, id: 1, type: 'Organization' }, html_url: web, url: web,
      git_url: `git://${spec.host}/${spec.owner}/${spec.repo}.git`, ssh_url: `git@${spec.host}:${spec.owner}/${spec.repo}.git`,
      clone_url: `${web}.git`, default_branch: 'main',
    },
    pusher: { name: 'ada', email: 'ada@example.com' },
    sender: { login: 'ada', id: 2, type: 'User' },
  };
}

export function githubPush(spec: PushSpec): WebhookDelivery {
  const body = JSON.stringify(githubStyleBody(spec));
  return {
    body,
    headers: {
      'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/7b3f1c2', 'x-github-event': 'push',
      'x-github-delivery': spec.deliveryId ?? randomUUID(), 'x-github-hook-id': '4419',
      'x-github-hook-installation-target-type': 'repository',
      ...(spec.secret ? { 'x-hub-signature-256': `sha256=${hmac(spec.secret, body)}` } : {}),
    },
  };
}

/** GitHub's other content type: the JSON in a `payload` form field, signed over the form body. */
export function githubFormPush(spec: PushSpec): WebhookDelivery {
  const json = githubPush({ ...spec, secret: undefined });
  const body = new URLSearchParams({ payload: json.body }).toString();
  const headers = { ...json.headers, 'content-type': 'application/x-www-form-urlencoded' };
  return { body, headers: spec.secret ? { ...headers, 'x-hub-signature-256': `sha256=${hmac(spec.secret, body)}` } : headers };
}

export function githubPing(secret?: string): WebhookDelivery {
  const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 4419, hook: { type: 'Repository', id: 4419, events: ['push'], active: true } });
  return {
    body,
    headers: {
      'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': randomUUID(),
      ...(secret ? { 'x-hub-signature-256': `sha256=${hmac(secret, body)}` } : {}),
    },
  };
}

/** Gitea and Forgejo sign twice: X-Hub-Signature-256 (sha256=…) and their own bare-hex header. */
export function giteaPush(spec: PushSpec, options: { only?: 'own-header' | 'hub-header'; forgejo?: boolean } = {}): WebhookDelivery {
  const body = JSON.stringify(githubStyleBody(spec));
  const brand = options.forgejo ? 'forgejo' : 'gitea';
  const signature = spec.secret ? hmac(spec.secret, body) : undefined;
  return {
    body,
    headers: {
      'content-type': 'application/json', 'user-agent': 'Go-http-client/1.1', [`x-${brand}-event`]: 'push',
      [`x-${brand}-event-type`]: 'push', [`x-${brand}-delivery`]: spec.deliveryId ?? randomUUID(), 'x-github-event': 'push',
      ...(signature && options.only !== 'hub-header' ? { [`x-${brand}-signature`]: signature } : {}),
      ...(signature && options.only !== 'own-header' ? { 'x-hub-signature-256': `sha256=${signature}` } : {}),
    },
  };
}

export function gitlabPush(spec: PushSpec): WebhookDelivery {
  const web = `https://${spec.host}/${spec.owner}/${spec.repo}`;
  const ssh = `git@${spec.host}:${spec.owner}/${spec.repo}.git`;
  const after = spec.deleted ? ZERO : sha(spec.ref);
  const isTag = spec.ref.startsWith('refs/tags/');
  const body = JSON.stringify({
    object_kind: isTag ? 'tag_push' : 'push', event_name: isTag ? 'tag_push' : 'push', before: sha(`${spec.ref}^`), after,
    ref: spec.ref, ref_protected: true, checkout_sha: spec.deleted ? null : after, user_id: 4, user_name: 'Ada', user_username: 'ada',
    project_id: 15,
    project: {
      id: 15, name: spec.repo, web_url: web, git_ssh_url: ssh, git_http_url: `${web}.git`, namespace: spec.owner,
      path_with_namespace: `${spec.owner}/${spec.repo}`, default_branch: 'main', homepage: web, url: ssh, ssh_url: ssh, http_url: `${web}.git`,
    },
    commits: spec.deleted ? [] : [commit(spec, web)], total_commits_count: spec.deleted ? 0 : 1,
    repository: { name: spec.repo, url: ssh, description: '', homepage: web, git_http_url: `${web}.git`, git_ssh_url: ssh, visibility_level: 0 },
  });
  return {
    body,
    headers: {
      'content-type': 'application/json', 'user-agent': 'GitLab/17.5.0', 'x-gitlab-event': isTag ? 'Tag Push Hook' : 'Push Hook',
      'x-gitlab-instance': `https://${spec.host}`, 'x-gitlab-webhook-uuid': randomUUID(),
      'x-gitlab-event-uuid': spec.deliveryId ?? randomUUID(), 'idempotency-key': spec.deliveryId ?? randomUUID(),
      ...(spec.secret ? { 'x-gitlab-token': spec.secret } : {}),
    },
  };
}

export function bitbucketPush(spec: PushSpec): WebhookDelivery {
  const web = `https://${spec.host}/${spec.owner}/${spec.repo}`;
  const isTag = spec.ref.startsWith('refs/tags/');
  const name = spec.ref.replace(/^refs\/(heads|tags)\//, '');
  const target = { type: 'commit', hash: sha(spec.ref), message: 'Bump the web image\n', date: '2026-11-26T08:00:00+00:00' };
  const body = JSON.stringify({
    actor: { display_name: 'Ada', type: 'user', nickname: 'ada' },
    repository: {
      type: 'repository', full_name: `${spec.owner}/${spec.repo}`, name: spec.repo, uuid: '{7d1bd5b4-5b7a-4b44-a0d5-cd3a6e0a8e07}',
      links: { html: { href: web }, self: { href: `https://api.${spec.host}/2.0/repositories/${spec.owner}/${spec.repo}` } },
      is_private: true, scm: 'git', workspace: { slug: spec.owner, type: 'workspace' },
    },
    push: {
      changes: [{
        old: { type: isTag ? 'tag' : 'branch', name, target: { ...target, hash: sha(`${spec.ref}^`) } },
        new: spec.deleted ? null : { type: isTag ? 'tag' : 'branch', name, target },
        created: false, closed: Boolean(spec.deleted), forced: false, truncated: false, commits: [],
      }],
    },
  });
  return {
    body,
    headers: {
      'content-type': 'application/json', 'user-agent': 'Bitbucket-Webhooks/2.0', 'x-event-key': 'repo:push',
      'x-request-uuid': spec.deliveryId ?? randomUUID(), 'x-hook-uuid': randomUUID(), 'x-attempt-number': '1',
      ...(spec.secret ? { 'x-hub-signature': `sha256=${hmac(spec.secret, body)}` } : {}),
    },
  };
}

/** Bitbucket Data Center (server) push: repo:refs_changed with clone links. */
export function bitbucketServerPush(spec: PushSpec): WebhookDelivery {
  const project = spec.owner.toUpperCase();
  const body = JSON.stringify({
    eventKey: 'repo:refs_changed', date: '2026-11-26T08:00:00+0000',
    actor: { name: 'ada', emailAddress: 'ada@example.com', displayName: 'Ada', type: 'NORMAL' },
    repository: {
      slug: spec.repo, id: 84, name: spec.repo, scmId: 'git', state: 'AVAILABLE', forkable: true,
      project: { key: project, id: 84, name: spec.owner, type: 'NORMAL' },
      links: {
        clone: [
          { href: `ssh://git@${spec.host}:7999/${project.toLowerCase()}/${spec.repo}.git`, name: 'ssh' },
          { href: `https://${spec.host}/scm/${project.toLowerCase()}/${spec.repo}.git`, name: 'http' },
        ],
        self: [{ href: `https://${spec.host}/projects/${project}/repos/${spec.repo}/browse` }],
      },
    },
    changes: [{
      ref: { id: spec.ref, displayId: spec.ref.replace(/^refs\/(heads|tags)\//, ''), type: spec.ref.startsWith('refs/tags/') ? 'TAG' : 'BRANCH' },
      refId: spec.ref, fromHash: sha(`${spec.ref}^`), toHash: spec.deleted ? ZERO : sha(spec.ref), type: spec.deleted ? 'DELETE' : 'UPDATE',
    }],
  });
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=UTF-8', 'user-agent': 'Atlassian HttpClient/4.5.14', 'x-event-key': 'repo:refs_changed',
      'x-request-id': spec.deliveryId ?? randomUUID(),
      ...(spec.secret ? { 'x-hub-signature': `sha256=${hmac(spec.secret, body)}` } : {}),
    },
  };
}

/** Bitbucket Data Center's own ping ("Test connection"). */
export function bitbucketPing(secret?: string): WebhookDelivery {
  const body = JSON.stringify({ test: true });
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=UTF-8', 'x-event-key': 'diagnostics:ping', 'x-request-id': randomUUID(),
      ...(secret ? { 'x-hub-signature': `sha256=${hmac(secret, body)}` } : {}),
    },
  };
}

export function genericPush(spec: PushSpec): WebhookDelivery {
  const body = JSON.stringify({ repo_url: `https://${spec.host}/${spec.owner}/${spec.repo}.git`, ref: spec.ref, commit: sha(spec.ref) });
  return {
    body,
    headers: {
      'content-type': 'application/json', 'x-accelero-delivery': spec.deliveryId ?? randomUUID(),
      ...(spec.secret ? { 'x-accelero-signature-256': `sha256=${hmac(spec.secret, body)}` } : {}),
    },
  };
}

/** The legacy `{"stack"}` body, signed GitHub-style when a secret is given. */
export function legacyWebhook(stack: string, secret?: string, contentType = 'application/json'): WebhookDelivery {
  const body = JSON.stringify({ stack });
  return {
    body,
    headers: { 'content-type': contentType, ...(secret ? { 'x-hub-signature-256': `sha256=${hmac(secret, body)}` } : {}) },
  };
}

/** Swaps the signature for one made with another secret (same header, same length). */
export function resign(delivery: WebhookDelivery, secret: string): WebhookDelivery {
  const headers = { ...delivery.headers };
  for (const name of ['x-hub-signature-256', 'x-hub-signature', 'x-accelero-signature-256']) {
    if (headers[name]) headers[name] = `sha256=${hmac(secret, delivery.body)}`;
  }
  for (const name of ['x-gitea-signature', 'x-forgejo-signature']) if (headers[name]) headers[name] = hmac(secret, delivery.body);
  if (headers['x-gitlab-token']) headers['x-gitlab-token'] = secret;
  return { ...delivery, headers };
}
