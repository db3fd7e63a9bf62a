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
