import type { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { describeZodError } from '../error-handler.ts';
import { UnsupportedMediaTypeError } from '../errors.ts';

// Parsing of webhook bodies: JSON only (any `application/json` with parameters, or no type).
// Form-encoded bodies are refused: a browser can send them to any site without a CORS
// preflight, and GitHub and Gitea can send JSON instead.

export function parseWebhookBody(raw: Buffer, contentType: string): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    throw new UnsupportedMediaTypeError('form-encoded webhook bodies are refused: set the webhook\'s content type to application/json');
  }
  if (type && type !== 'application/json' && !type.endsWith('+json')) {
    throw new UnsupportedMediaTypeError(`content type ${type.slice(0, 100)} is not supported: send application/json`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
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
