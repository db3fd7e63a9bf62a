import { z } from 'zod';

// Query strings shared by routes (and by the OpenAPI document). Unknown parameters are refused.

export const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }).strict();

export const deleteStackQuery = z
  .object({
    remove_containers: z.enum(['true', 'false']).optional(),
    remove_volumes: z.enum(['true', 'false']).optional(),
  })
  .strict();
