import { quickly } from '../support/eventually.ts';
import { parseJson, type ApiClient } from '../support/http-client.ts';
import type { WebhookDelivery } from '../support/webhook-payloads.ts';

/** A stack that never deploys on its own. */
export function quietStack(name: string, overrides: Record<string, unknown> = {}) {
  return { name, repo_url: `/nonexistent/${name}`, auto_deploy: false, reconcile_interval_seconds: 0, ...overrides };
}

export async function createStack(api: ApiClient, name: string, overrides: Record<string, unknown> = {}) {
  const { status, body } = await api.request('POST', '/api/v1/stacks', quietStack(name, overrides));
  if (status !== 201) throw new Error(`creating stack ${name}: ${status} ${JSON.stringify(body)}`);
  return body as { id: string; name: string };
}

/** Creates a stored API key as the bootstrap admin; returns the key shown once. */
export async function createApiKey(api: ApiClient, name: string, role: string, stacks?: string[]) {
  const { status, body } = await api.request('POST', '/api/v1/apikeys', { name, role, ...(stacks ? { stacks } : {}) });
  if (status !== 201) throw new Error(`creating key ${name}: ${status} ${JSON.stringify(body)}`);
  return body as { id: string; key: string; name: string; role: string };
}

export const withKey = (key: string) => ({ 'x-api-key': key });

/** Sends a webhook delivery as the provider would (raw body, its headers, no API key). */
export async function deliver(api: Pick<ApiClient, 'url'>, path: string, delivery: WebhookDelivery) {
  const response = await fetch(api.url + path, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: response.status, body: parseJson(await response.text()) };
}

interface DeploymentView { id: string; status: string }

/** Waits until a deployment has its final status (the stack actor ends it in the background). */
export function finished(api: ApiClient, stack: string, deploymentId: string): Promise<DeploymentView> {
  return quickly(async () => {
    const { body } = await api.request<DeploymentView>('GET', `/api/v1/stacks/${stack}/deployments/${deploymentId}`);
    return body.status !== 'pending' && body.status !== 'in_progress' ? body : undefined;
  }, `deployment ${deploymentId} of ${stack} to finish`);
}
