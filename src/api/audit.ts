import type { Context, Next } from 'koa';
import type { AuditStore } from '../../persistence/audit-store.ts';
import type { Logger } from '../logger.ts';
import { callerOf, stackOf } from './auth/authenticate.ts';
import { isReadMethod } from './auth/roles.ts';

// Audit entries for every mutation by a known caller: who (key name), what (method and
// route), which target (the stack or key id in the path), and the outcome. Requests without a
// valid key never reach the database (they are logged instead), so anonymous traffic cannot
// fill it. Bodies are never recorded: they may hold secrets.

export type AuditOutcome = 'success' | 'denied' | 'rejected' | 'error';

export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  if (status === 401 || status === 403) return 'denied';
  return status < 500 ? 'rejected' : 'error';
}

const clip = (text: string, max = 255) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export interface AuditContext {
  /** Set by a route whose target is not the `:id` in its path (e.g. the name of a new stack). */
  auditTarget?: string;
  /** Set by webhook routes: the actor is the provider, not an API key. */
  auditActor?: string;
  /** Set by a route that acts on one stack its path does not name (e.g. a new stack). */
  auditStackId?: string;
}

export function auditTrail(audit: AuditStore, logger: Logger) {
  return async (ctx: Context, next: Next) => {
    if (isReadMethod(ctx.method)) return next();
    try {
      await next();
    } finally {
      await recordMutation(ctx, audit, logger);
    }
  };
}

async function recordMutation(ctx: Context, audit: AuditStore, logger: Logger): Promise<void> {
  const state = ctx.state as AuditContext;
  const actor = state.auditActor ?? callerOf(ctx)?.name;
  if (!actor) return;
  const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? ctx.path;
  const body = ctx.body as { code?: unknown } | undefined;
  const code = typeof body?.code === 'string' ? ` ${body.code}` : '';
  const entry = {
    at: new Date().toISOString(),
    actor: clip(actor),
    action: clip(`${ctx.method} ${route}`),
    target: state.auditTarget ?? stackOf(ctx)?.name ?? (ctx.params as Record<string, string> | undefined)?.id ?? null,
    // Who may read the entry besides an admin: the keys granted this stack.
    stack_id: state.auditStackId ?? stackOf(ctx)?.id ?? null,
    outcome: outcomeOf(ctx.status),
    detail: `${ctx.status}${code}`,
  };
  if (entry.target) entry.target = clip(entry.target);
  try {
    await audit.record(entry);
  } catch (error) {
    logger.error({ err: error, request_id: ctx.state.requestId }, 'could not write the audit entry');
  }
}
