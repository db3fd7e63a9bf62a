import type { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { describeZodError } from '../error-handler.ts';

// Parsing of webhook bodies: JSON (any `application/json` with parameters, or no type), or a
// form with a `payload` field (GitHub's and Gitea's form content type).

export function parseWebhookBody(raw: Buffer, contentType: string): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  let text = raw.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    text = new URLSearchParams(text).get('payload') ?? '';
  } else if (type && type !== 'application/json' && !type.endsWith('+json')) {
    throw new ValidationError(`content type ${type.slice(0, 100)} is not supported: send application/json`, 'content-type');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('the webhook body is not valid JSON');
  }
}

/** Parses a payload with a provider's schema; a mismatch names the field. */
export function readPayload<T>(schema: z.ZodType<T>, payload: unknown, provider: string): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const { message, field } = describeZodError(result.error);
  throw new ValidationError(`not a ${provider} push payload: ${message}`, field);
}
