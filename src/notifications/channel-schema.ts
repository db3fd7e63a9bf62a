import { z } from 'zod';
import { CHANNEL_TYPES, NOTIFICATION_EVENTS } from './types.ts';

// Input of POST /api/v1/notifications. One object for every kind, checked per kind afterwards,
// so each error names the one field that is wrong (a union would name none).

const httpUrl = z.string().max(2048).refine((value) => isUrlWith(value, ['http:', 'https:']), 'must be an http(s) URL');
const smtpUrl = z.string().max(2048).refine((value) => isUrlWith(value, ['smtp:', 'smtps:']), 'must be an smtp:// or smtps:// URL like smtp://user:pass@host:587');
const address = z.string().max(254).regex(/^[^\s@<>,;]+@[^\s@<>,;]+$/, 'must be an e-mail address like ops@example.com');

export const createChannelSchema = z
  .object({
    name: z.string().min(1, 'must not be empty').max(100).regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, 'letters, digits, spaces, "_", "." or "-"'),
    type: z.enum(CHANNEL_TYPES),
    url: httpUrl.optional(),
    secret: z.string().min(16, 'must be at least 16 characters').max(256).optional(),
    smtp_url: smtpUrl.optional(),
    from: address.optional(),
    to: z.array(address).min(1).max(50).optional(),
    events: z.array(z.enum(NOTIFICATION_EVENTS)).min(1).optional(),
    stacks: z.array(z.string().min(1).max(63)).min(1).max(100).nullable().optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const need = (field: keyof typeof input, why: string) => {
      if (input[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required ${why}` });
    };
    const refuse = (field: keyof typeof input, why: string) => {
      if (input[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} is not used ${why}` });
    };
    if (input.type === 'email') {
      for (const field of ['smtp_url', 'from', 'to'] as const) need(field, 'for an email channel');
      for (const field of ['url', 'secret'] as const) refuse(field, 'by an email channel');
      return;
    }
    need('url', `for a ${input.type} channel`);
    for (const field of ['smtp_url', 'from', 'to'] as const) refuse(field, `by a ${input.type} channel`);
    if (input.type === 'webhook') need('secret', 'for a webhook channel (its deliveries are signed with it)');
    else refuse('secret', `by a ${input.type} channel (its URL is its credential)`);
  });

export type CreateChannelInput = z.infer<typeof createChannelSchema>;

function isUrlWith(value: string, protocols: string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}
