import { z } from 'zod';

// Query strings shared by routes (and by the OpenAPI document). Unknown parameters are refused.

export const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }).strict();

/** A page of transitions: `before` is the `id` of the oldest transition of the previous page. */
export const transitionsQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(1000).optional(), before: z.coerce.number().int().min(1).optional() })
  .strict();

export const deleteStackQuery = z
  .object({
    remove_containers: z.enum(['true', 'false']).optional(),
    remove_volumes: z.enum(['true', 'false']).optional(),
  })
  .strict();

/** GET …/containers/{cid}/logs. */
export const logsQuery = z.object({
  tail: z.coerce.number().int().min(0).max(10_000).optional().describe('lines from the end (default 100)'),
  since: z.string().regex(/^\d{1,12}$|^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/, 'a Unix time in seconds or an RFC 3339 time').optional(),
  timestamps: z.enum(['true', 'false']).optional(),
}).strict();

/** POST …/containers/{cid}/restart. */
export const restartQuery = z.object({ t: z.coerce.number().int().min(0).max(3600).optional().describe('seconds to wait before killing') }).strict();

/** GET /api/v1/images, /volumes, /networks. */
export const resourceQuery = z.object({ stack: z.string().min(1).max(255).optional().describe('a stack id or name') }).strict();
