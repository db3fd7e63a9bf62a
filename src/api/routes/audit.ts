import Router from '@koa/router';
import { z } from 'zod';
import type { AuditStore } from '../../../persistence/audit-store.ts';
import type { StackRecord } from '../../../persistence/entities/records.ts';
import { NotFoundError } from '../../errors.ts';
import { callerOf } from '../auth/authenticate.ts';
import { canAccessStack } from '../auth/roles.ts';
import { route } from './route.ts';

// GET /api/v1/audit: the audit trail, newest first. An admin reads every entry; any other key
// only the entries about stacks it may see (keys, hosts and other admin actions stay hidden).

export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    actor: z.string().max(255).optional(),
    target: z.string().max(255).optional(),
    stack: z.string().max(255).optional(),
    operation: z.string().max(255).regex(/^[A-Za-z0-9 /:.{}-]+$/, 'a method, a path or a word of one (letters, digits, spaces, / : . { } -)').optional()
      .describe('entries whose action contains this text, e.g. `deploy` or `POST /api/v1/stacks/:id/rollback`'),
    since: z.iso.datetime({ offset: true }).optional().describe('entries at or after this RFC 3339 time'),
  })
  .strict();

export function auditRoutes(deps: { audit: AuditStore; stacks: { list(): Promise<StackRecord[]> } }): Router {
  const router = new Router();
  route(router, 'GET /api/v1/audit', async (ctx) => {
    const query = auditQuerySchema.parse(ctx.query);
    const caller = callerOf(ctx)!;
    const stacks = await deps.stacks.list();
    const named = query.stack === undefined ? undefined : stacks.find((s) => s.id === query.stack || s.name === query.stack);
    if (query.stack !== undefined && (!named || (caller.role !== 'admin' && !canAccessStack(caller, named)))) {
      throw new NotFoundError(`stack "${query.stack.slice(0, 100)}" not found`);
    }
    const visible = caller.role === 'admin' ? undefined : stacks.filter((s) => canAccessStack(caller, s)).map((s) => s.id);
    const stackIds = named ? [named.id] : visible;
    const since = query.since === undefined ? undefined : new Date(query.since).toISOString();
    const entries = await deps.audit.list({ limit: query.limit ?? 100, actor: query.actor, target: query.target, operation: query.operation, since, stackIds });
    ctx.body = entries.map((e) => ({
      id: e.id, at: e.at, actor: e.actor, action: e.action, target: e.target, stack_id: e.stack_id ?? null, outcome: e.outcome, detail: e.detail,
    }));
  });
  return router;
}
