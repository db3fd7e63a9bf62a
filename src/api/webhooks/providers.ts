import { bitbucket } from './bitbucket.ts';
import { generic } from './generic.ts';
import { gitea } from './gitea.ts';
import { github } from './github.ts';
import { gitlab } from './gitlab.ts';
import type { WebhookProvider } from './provider.ts';

export const WEBHOOK_PROVIDERS = ['github', 'gitlab', 'gitea', 'bitbucket', 'generic'] as const;
export type WebhookProviderName = (typeof WEBHOOK_PROVIDERS)[number];

const providers: Record<WebhookProviderName, WebhookProvider> = { github, gitlab, gitea, bitbucket, generic };

export function webhookProvider(name: string): WebhookProvider | undefined {
  return (WEBHOOK_PROVIDERS as readonly string[]).includes(name) ? providers[name as WebhookProviderName] : undefined;
}
