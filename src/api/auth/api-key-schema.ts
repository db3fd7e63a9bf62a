import { z } from 'zod';
import { STACK_NAME_PATTERN } from '../stack-schema.ts';
import { ROLES } from './roles.ts';

// Input of POST /api/v1/apikeys. `stacks` limits a viewer or operator key to these stacks
// (ids or names); an admin key is never limited.

const stackGrant = z.string().max(63).regex(STACK_NAME_PATTERN, 'a stack id or name');

export const createApiKeySchema = z
  .object({
    name: z.string().min(1, 'must not be empty').max(100).regex(/^[\p{L}\p{N} _.@-]+$/u, 'letters, digits, spaces, "_", ".", "@" or "-"'),
    role: z.enum(ROLES),
    stacks: z.array(stackGrant).min(1).max(100).nullable().optional(),
  })
  .strict()
  .refine((input) => !(input.role === 'admin' && input.stacks), { message: 'an admin key cannot be limited to stacks', path: ['stacks'] });

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
