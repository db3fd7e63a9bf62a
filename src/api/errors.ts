import { AcceleroError } from '../errors.ts';

// Typed errors of the HTTP layer. The error handler turns each into `{"error", "code"}` with
// its status; none of them carries a secret (no key, signature or token in a message).

/** No credentials at all: a missing X-API-KEY header. */
export class UnauthorizedError extends AcceleroError {
  constructor(message: string, code = 'unauthorized') {
    super(message, code, 401);
  }
}

/** Credentials given but wrong, or not enough for what was asked. */
export class ForbiddenError extends AcceleroError {
  constructor(message: string, code = 'forbidden') {
    super(message, code, 403);
  }
}

/** A webhook whose signature or token is missing or does not verify. */
export class SignatureError extends AcceleroError {
  constructor(message: string, code: 'signature_missing' | 'signature_invalid') {
    super(message, code, 401);
  }
}

export class PayloadTooLargeError extends AcceleroError {
  constructor(limitBytes: number) {
    super(`request body is larger than ${limitBytes} bytes`, 'payload_too_large', 413);
  }
}

/** A webhook delivery id seen before: a replay, answered without a second deploy. */
export class ReplayedDeliveryError extends AcceleroError {
  constructor(provider: string) {
    super(`this ${provider} delivery was already received`, 'duplicate_delivery', 409);
  }
}

/** The daemon is shutting down and takes no new work. */
export class DrainingError extends AcceleroError {
  constructor() {
    super('Accelero is shutting down and accepts no new work', 'draining', 503);
  }
}

/** `GET /` before the dashboard was built (scripts/build.sh runs during `npm ci`). */
export class DashboardNotBuiltError extends AcceleroError {
  constructor(dir: string) {
    super(`the dashboard is not built (no ${dir}/index.html): run npm ci or bash scripts/build.sh`, 'dashboard_not_built', 503);
  }
}

/** Too many failed authentications from one address; `retryAfterSeconds` goes into Retry-After. */
export class TooManyAttemptsError extends AcceleroError {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed authentications from this address; try again in ${retryAfterSeconds} s`, 'too_many_attempts', 429);
  }
}

/** A body of a type the route does not take (webhooks: anything but JSON). */
export class UnsupportedMediaTypeError extends AcceleroError {
  constructor(message: string) {
    super(message, 'unsupported_media_type', 415);
  }
}
