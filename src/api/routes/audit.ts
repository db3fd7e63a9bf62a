import Router from '@koa/router';
import { z } from 'zod';
import type { AuditStore } from '../../../persistence/audit-store.ts';

// GET /api/v1/audit (admin): the audit trail, newest first.

export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    actor: z.string().max(255).optional(),
    target: z.string().max(255).optional(),
  })
  .strict();

export function auditRoutes(deps: { audit: AuditStore }): Router {
  const router = new Router({ prefix: '/api/v1/audit' });
  router.get('/', async (ctx) => {
    const query = auditQuerySchema.parse(ctx.query);
    const entries = await deps.audit.list({ limit: query.limit ?? 100, actor: query.actor, target: query.target });
    ctx.body = entries.map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, target: e.target, outcome: e.outcome, detail: e.detail }));
  });
  return router;
}
