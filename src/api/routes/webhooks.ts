import Router from '@koa/router';
import { route } from './route.ts';
import type { Context } from 'koa';
import { z } from 'zod';
import type { StackCommands } from '../../../actors/stack-commands.ts';
import type { StackRecord } from '../../../persistence/entities/records.ts';
import { AcceleroError, NotFoundError } from '../../errors.ts';
import { recordWebhookRejection } from '../../metrics.ts';
import { ReplayedDeliveryError, SignatureError } from '../errors.ts';
import { requestLogger } from '../request-context.ts';
import { github } from '../webhooks/github.ts';
import { matchStacks } from '../webhooks/match.ts';
import { parseWebhookBody } from '../webhooks/payload.ts';
import type { WebhookProvider, WebhookRequest } from '../webhooks/provider.ts';
import { webhookProvider } from '../webhooks/providers.ts';
import { readRawBody } from '../webhooks/raw-body.ts';
import type { DeliveryLog } from '../webhooks/replay.ts';
import type { Verdict } from '../webhooks/signatures.ts';

// Webhooks: the legacy `{"stack"}` endpoint of the Go Accelero, and one endpoint per git
// provider that matches push payloads to stacks. A stack's own webhook secret overrides
// WEBHOOK_SECRET; with neither, the request needs no signature (as in the Go Accelero).

export interface WebhookRouteDeps {
  commands: StackCommands;
  stacks: { list(): Promise<StackRecord[]>; find(idOrName: string): Promise<StackRecord | null> };
  webhookSecret?: string;
  /** The stack's own webhook secret (decrypted), if it has one. */
  stackWebhookSecret(stack: StackRecord): string | undefined;
  deliveries: DeliveryLog;
}

export const legacyWebhookSchema = z.object({ stack: z.string().min(1).max(255) }).strict();

const requestOf = (ctx: Context, rawBody: Buffer): WebhookRequest => ({ header: (name) => ctx.get(name), rawBody });

export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const router = new Router();
  const effectiveSecret = (stack: StackRecord) => deps.stackWebhookSecret(stack) ?? deps.webhookSecret;

  const legacy = async (ctx: Context) => {
    const request = requestOf(ctx, await readRawBody(ctx));
    const { stack: idOrName } = legacyWebhookSchema.parse(parseWebhookBody(request.rawBody, ctx.get('content-type')));
    const stack = await deps.stacks.find(idOrName);
    const secret = stack ? effectiveSecret(stack) : deps.webhookSecret;
    if (secret) requireValid([github.verify(request, secret)]);
    if (!stack) throw new NotFoundError(`stack "${idOrName}" not found`);
    rejectReplay(deps.deliveries, github, request);
    // Audited only once verified: unsigned noise must not fill the database.
    ctx.state.auditActor = 'webhook';
    ctx.state.auditTarget = stack.name;
    const { deploymentId } = await deps.commands.deploy(stack.id, 'webhook');
    ctx.status = 202;
    ctx.body = { status: 'accepted', stack_id: stack.id, deployment_id: deploymentId, message: `deploy of ${stack.name} queued` };
  };

  route(router, 'POST /webhook', countRejections('legacy', legacy));
  route(router, 'POST /api/v1/webhook', countRejections('legacy', legacy));
  route(router, 'POST /api/v1/webhooks/{provider}', async (ctx) => {
    const provider = webhookProvider(ctx.params.provider!);
    if (!provider) throw new NotFoundError(`unknown webhook provider "${ctx.params.provider!.slice(0, 50)}": use github, gitlab, gitea, bitbucket or generic`);
    await countRejections(provider.name, (c) => providerWebhook(c, provider, deps, effectiveSecret))(ctx);
  });
  return router;
}

type SecretOf = (stack: StackRecord) => string | undefined;

async function providerWebhook(ctx: Context, provider: WebhookProvider, deps: WebhookRouteDeps, effectiveSecret: SecretOf) {
  const request = requestOf(ctx, await readRawBody(ctx));
  const stacks = await deps.stacks.list();
  const { verified, verdicts } = checkSignature(provider, request, [deps.webhookSecret, ...stacks.map(effectiveSecret)]);
  // With a global secret every stack needs some valid signature: refuse before reading the body.
  if (deps.webhookSecret) requireValid(verdicts);

  const event = provider.parse(request, parseWebhookBody(request.rawBody, ctx.get('content-type')));
  if (event.kind !== 'push') {
    ctx.body = event.kind === 'ping' ? { status: 'ok', event: 'ping' } : { status: 'ignored', event: event.event.slice(0, 100) };
    return;
  }
  const candidates = matchStacks(event.push, stacks);
  const accepted = candidates.filter((stack) => {
    const secret = effectiveSecret(stack);
    return !secret || verified.has(secret);
  });
  // Every matched stack wants a secret this request is not signed with (e.g. its own secret).
  if (candidates.length > 0 && accepted.length === 0) requireValid(candidates.map((stack) => provider.verify(request, effectiveSecret(stack)!)));
  rejectReplay(deps.deliveries, provider, request);
  const deployments = await queueDeploys(ctx, deps.commands, provider, accepted);
  requestLogger(ctx).info({ provider: provider.name, refs: event.push.refs, matched_stacks: deployments }, 'webhook push');
  ctx.status = 202;
  ctx.body = { status: 'accepted', matched_stacks: accepted.map((stack) => stack.name), deployments };
}

/** Which of the configured secrets the request is signed with, and each secret's verdict. */
function checkSignature(provider: WebhookProvider, request: WebhookRequest, secrets: ReadonlyArray<string | undefined>) {
  const distinct = [...new Set(secrets.filter((s): s is string => Boolean(s)))];
  const verdicts = distinct.map((secret) => provider.verify(request, secret));
  return { verified: new Set(distinct.filter((_, i) => verdicts[i] === 'valid')), verdicts };
}

async function queueDeploys(ctx: Context, commands: StackCommands, provider: WebhookProvider, stacks: StackRecord[]) {
  if (stacks.length > 0) {
    // Audited only once verified: unsigned noise must not fill the database.
    ctx.state.auditActor = `webhook:${provider.name}`;
    ctx.state.auditTarget = stacks.map((stack) => stack.name).join(',');
  }
  const deployments = [];
  for (const stack of stacks) {
    const { deploymentId } = await commands.deploy(stack.id, 'webhook');
    deployments.push({ stack_id: stack.id, stack_name: stack.name, deployment_id: deploymentId });
  }
  return deployments;
}

/** Throws the 401 unless one verdict is valid; `missing` when no signature was sent at all. */
function requireValid(verdicts: readonly Verdict[]): void {
  if (verdicts.includes('valid')) return;
  if (verdicts.length === 0 || verdicts.includes('missing')) {
    throw new SignatureError('the webhook signature (or token) header is missing', 'signature_missing');
  }
  throw new SignatureError('the webhook signature (or token) does not match', 'signature_invalid');
}

function rejectReplay(deliveries: DeliveryLog, provider: WebhookProvider, request: WebhookRequest): void {
  const id = provider.deliveryId(request);
  if (id && deliveries.isReplay(provider.name, id)) throw new ReplayedDeliveryError(provider.name);
}

/** Counts refused deliveries (by provider and error code) for accelero_webhook_rejections_total. */
function countRejections(provider: string, handler: (ctx: Context) => Promise<void>) {
  return async (ctx: Context) => {
    try {
      await handler(ctx);
    } catch (error) {
      const status = error instanceof AcceleroError ? error.status : (error as { status?: number }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        const reason = error instanceof AcceleroError ? error.code : `http_${status}`;
        recordWebhookRejection(provider, reason);
        requestLogger(ctx).warn({ provider, reason, status }, 'webhook refused');
      }
      throw error;
    }
  };
}
