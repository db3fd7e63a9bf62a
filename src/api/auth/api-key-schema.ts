import { z } from 'zod';
import { STACK_NAME_PATTERN } from '../stack-schema.ts';
import { ROLES } from './roles.ts';

// Input of POST /api/v1/apikeys. `stacks` limits a key to these stacks (ids or names) at its
// own role; `stack_grants` gives a role per stack (the Go Accelero's form), so a key of role
// `none` can be an operator of one stack and a viewer of another. An admin key is never limited.

const stackGrant = z.string().max(63).regex(STACK_NAME_PATTERN, 'a stack id or name');

export const createApiKeySchema = z
  .object({
    name: z.string().min(1, 'must not be empty').max(100).regex(/^[\p{L}\p{N} _.@-]+$/u, 'letters, digits, spaces, "_", ".", "@" or "-"'),
    role: z.enum(ROLES),
    stacks: z.array(stackGrant).min(1).max(100).nullable().optional(),
    stack_grants: z.record(stackGrant, z.enum(['viewer', 'operator'])).nullable().optional()
      .refine((grants) => !grants || (Object.keys(grants).length >= 1 && Object.keys(grants).length <= 100), 'between 1 and 100 stacks'),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((input) => !(input.role === 'admin' && (input.stacks || input.stack_grants)), { message: 'an admin key cannot be limited to stacks', path: ['stacks'] })
  .refine((input) => input.role !== 'none' || Boolean(input.stack_grants), { message: 'a key of role none reaches only the stacks of its stack_grants: give some', path: ['stack_grants'] });

export const updateApiKeySchema = z.object({ disabled: z.boolean() }).strict();

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
