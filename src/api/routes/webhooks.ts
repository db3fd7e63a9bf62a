import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { StackCommands } from '../../../actors/stack-commands.ts';
import type { StackRecord } from '../../../persistence/entities/records.ts';
import { AcceleroError, NotFoundError } from '../../errors.ts';
import { recordWebhookRejection } from '../../metrics.ts';
import { callerOf } from '../auth/authenticate.ts';
import { bestRole, canAccessStack, roleAllows, roleOn, type Caller } from '../auth/roles.ts';
import { ForbiddenError, ReplayedDeliveryError, SignatureError, UnauthorizedError } from '../errors.ts';
import { requestLogger } from '../request-context.ts';
import { github } from '../webhooks/github.ts';
import { matchStacks, stacksOfRepository } from '../webhooks/match.ts';
import { parseWebhookBody } from '../webhooks/payload.ts';
import type { WebhookProvider, WebhookRequest } from '../webhooks/provider.ts';
import { webhookProvider } from '../webhooks/providers.ts';
import { readRawBody } from '../webhooks/raw-body.ts';
import type { DeliveryLog } from '../webhooks/replay.ts';
import type { Verdict } from '../webhooks/signatures.ts';
import { route } from './route.ts';

// Webhooks: the legacy `{"stack"}` endpoint of the Go Accelero, and one endpoint per git
// provider that matches push payloads to stacks. A stack deploys from a webhook when the
// delivery is signed with its secret (its own webhook_secret, else WEBHOOK_SECRET), or when an
// operator key granted that stack comes with it; a stack with no secret at all needs the key.
// The signature is checked only against the secrets of the stacks of the pushed repository,
// so an unsigned request costs at most a few HMACs whatever the number of stacks.

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

/** Who vouches for a delivery: the secrets it is validly signed with, and an operator key. */
interface Vouchers {
  verified: Set<string>;
  verdicts: Verdict[];
  key?: Caller;
}

export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const router = new Router();
  const secretOf = (stack: StackRecord) => deps.stackWebhookSecret(stack) ?? deps.webhookSecret;

  const legacy = async (ctx: Context) => {
    const request = requestOf(ctx, await readRawBody(ctx));
    const { stack: idOrName } = legacyWebhookSchema.parse(parseWebhookBody(request.rawBody, ctx.get('content-type')));
    const stack = await deps.stacks.find(idOrName);
    const vouchers = vouch(ctx, github, request, [stack ? secretOf(stack) : deps.webhookSecret]);
    // Unknown or not: an unauthorised caller learns nothing about which stacks exist.
    if (!stack) {
      requireSomeVoucher(vouchers);
      throw new NotFoundError(`stack "${idOrName}" not found`);
    }
    requireFor(stack, vouchers, secretOf(stack));
    await rejectReplay(deps.deliveries, github, request);
    // Audited only once verified: unsigned noise must not fill the database.
    ctx.state.auditActor = vouchers.key?.name ?? 'webhook';
    ctx.state.auditTarget = stack.name;
    ctx.state.auditStackId = stack.id;
    const { deploymentId } = await deps.commands.deploy(stack.id, 'webhook');
    ctx.status = 202;
    ctx.body = { status: 'accepted', stack_id: stack.id, deployment_id: deploymentId, message: `deploy of ${stack.name} queued` };
  };

  route(router, 'POST /webhook', countRejections('legacy', legacy));
  route(router, 'POST /api/v1/webhook', countRejections('legacy', legacy));
  route(router, 'POST /api/v1/webhooks/{provider}', async (ctx) => {
    const provider = webhookProvider(ctx.params.provider!);
    if (!provider) throw new NotFoundError(`unknown webhook provider "${ctx.params.provider!.slice(0, 50)}": use github, gitlab, gitea, bitbucket or generic`);
    await countRejections(provider.name, (c) => providerWebhook(c, provider, deps, secretOf))(ctx);
  });
  return router;
}

type SecretOf = (stack: StackRecord) => string | undefined;

async function providerWebhook(ctx: Context, provider: WebhookProvider, deps: WebhookRouteDeps, secretOf: SecretOf) {
  const request = requestOf(ctx, await readRawBody(ctx));
  const event = provider.parse(request, parseWebhookBody(request.rawBody, ctx.get('content-type')));
  if (event.kind !== 'push') {
    // Pings and other events change nothing; with WEBHOOK_SECRET set they must be signed with it.
    if (deps.webhookSecret) requireSomeVoucher(vouch(ctx, provider, request, [deps.webhookSecret]));
    ctx.body = event.kind === 'ping' ? { status: 'ok', event: 'ping' } : { status: 'ignored', event: event.event.slice(0, 100) };
    return;
  }
  const ofRepository = stacksOfRepository(event.push, await deps.stacks.list());
  const vouchers = vouch(ctx, provider, request, [deps.webhookSecret, ...ofRepository.map(secretOf)]);
  requireSomeVoucher(vouchers);
  const candidates = matchStacks(event.push, ofRepository);
  const accepted = candidates.filter((stack) => vouchesFor(vouchers, stack, secretOf(stack)));
  // Every matched stack wants a voucher this request lacks (its own secret, a grant).
  if (candidates.length > 0 && accepted.length === 0) requireFor(candidates[0]!, vouchers, secretOf(candidates[0]!));
  await rejectReplay(deps.deliveries, provider, request);
  const deployments = await queueDeploys(ctx, deps.commands, vouchers.key?.name ?? `webhook:${provider.name}`, accepted);
  requestLogger(ctx).info({ provider: provider.name, refs: event.push.refs, matched_stacks: deployments }, 'webhook push');
  ctx.status = 202;
  ctx.body = { status: 'accepted', matched_stacks: accepted.map((stack) => stack.name), deployments };
}

/** Checks the signature against these secrets only, and takes an operator key if one came. */
function vouch(ctx: Context, provider: WebhookProvider, request: WebhookRequest, secrets: ReadonlyArray<string | undefined>): Vouchers {
  const distinct = [...new Set(secrets.filter((s): s is string => Boolean(s)))];
  const verdicts = distinct.map((secret) => provider.verify(request, secret));
  const caller = callerOf(ctx);
  if (ctx.state.auth?.invalidKey) throw new ForbiddenError('invalid API key');
  if (caller && !roleAllows(bestRole(caller), 'operator')) throw new ForbiddenError(`a webhook with X-API-KEY needs the operator role; this key has ${caller.role}`);
  return { verified: new Set(distinct.filter((_, i) => verdicts[i] === 'valid')), verdicts, key: caller };
}

function vouchesFor(vouchers: Vouchers, stack: StackRecord, secret: string | undefined): boolean {
  if (vouchers.key) return canAccessStack(vouchers.key, stack) && roleAllows(roleOn(vouchers.key, stack), 'operator');
  return secret !== undefined && vouchers.verified.has(secret);
}

/** Some valid signature or an operator key, or the 401 saying which is missing. */
function requireSomeVoucher(vouchers: Vouchers): void {
  if (vouchers.key || vouchers.verified.size > 0) return;
  if (vouchers.verdicts.length === 0) {
    throw new UnauthorizedError('this webhook needs a signature with the stack\'s webhook_secret (or WEBHOOK_SECRET), or an operator X-API-KEY: no secret is set');
  }
  if (vouchers.verdicts.includes('missing')) throw new SignatureError('the webhook signature (or token) header is missing', 'signature_missing');
  throw new SignatureError('the webhook signature (or token) does not match', 'signature_invalid');
}

function requireFor(stack: StackRecord, vouchers: Vouchers, secret: string | undefined): void {
  if (vouchesFor(vouchers, stack, secret)) return;
  if (vouchers.key) throw new ForbiddenError(`this key is not granted stack "${stack.name}"`);
  if (!secret) throw new UnauthorizedError(`stack "${stack.name}" has no webhook secret: its webhooks need an operator X-API-KEY`);
  requireSomeVoucher({ ...vouchers, verified: new Set() });
}

async function queueDeploys(ctx: Context, commands: StackCommands, actor: string, stacks: StackRecord[]) {
  if (stacks.length > 0) {
    // Audited only once verified: unsigned noise must not fill the database.
    ctx.state.auditActor = actor;
    ctx.state.auditTarget = stacks.map((stack) => stack.name).join(',');
    if (stacks.length === 1) ctx.state.auditStackId = stacks[0]!.id;
  }
  const deployments = [];
  for (const stack of stacks) {
    const { deploymentId } = await commands.deploy(stack.id, 'webhook');
    deployments.push({ stack_id: stack.id, stack_name: stack.name, deployment_id: deploymentId });
  }
  return deployments;
}

async function rejectReplay(deliveries: DeliveryLog, provider: WebhookProvider, request: WebhookRequest): Promise<void> {
  const id = provider.deliveryId(request);
  if (id && (await deliveries.isReplay(provider.name, id))) throw new ReplayedDeliveryError(provider.name);
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
