import type { TestDaemon } from '../support/daemon.ts';
import type { WebhookDelivery } from '../support/webhook-payloads.ts';

/** A stack that never deploys on its own and needs no containers. */
export function quietStack(name: string, overrides: Record<string, unknown> = {}) {
  return { name, repo_url: `/nonexistent/${name}`, auto_deploy: false, reconcile_interval_seconds: 0, ...overrides };
}

export async function createStack(daemon: TestDaemon, name: string, overrides: Record<string, unknown> = {}) {
  const { status, body } = await daemon.request('POST', '/api/v1/stacks', quietStack(name, overrides));
  if (status !== 201) throw new Error(`creating stack ${name}: ${status} ${JSON.stringify(body)}`);
  return body as { id: string; name: string };
}

/** Creates a stored API key as the bootstrap admin; returns the key shown once. */
export async function createApiKey(daemon: TestDaemon, name: string, role: string, stacks?: string[]) {
  const { status, body } = await daemon.request('POST', '/api/v1/apikeys', { name, role, ...(stacks ? { stacks } : {}) });
  if (status !== 201) throw new Error(`creating key ${name}: ${status} ${JSON.stringify(body)}`);
  return body as { id: string; key: string; name: string; role: string };
}

export const withKey = (key: string) => ({ 'x-api-key': key });

/** Sends a webhook delivery as the provider would (raw body, its headers, no API key). */
export async function deliver(daemon: TestDaemon, path: string, delivery: WebhookDelivery) {
  const response = await fetch(daemon.url + path, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const text = await response.text();
  let body: any = text;
  try { body = JSON.parse(text); } catch { /* keep the text */ }
  return { status: response.status, body };
}
