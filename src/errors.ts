// Typed errors that carry the user's words (which stack, which file, which field).
// `code` is the machine code of the API's `{"error", "code"}` body; `status` its HTTP status.

export class AcceleroError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(message: string, code: string, status = 500, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** Input the user gave is wrong; `field` names it. */
export class ValidationError extends AcceleroError {
  readonly field?: string;
  constructor(message: string, field?: string) {
    super(message, 'invalid_input', 400);
    this.field = field;
  }
}

export class NotFoundError extends AcceleroError {
  constructor(message: string) {
    super(message, 'not_found', 404);
  }
}

export class ConflictError extends AcceleroError {
  constructor(message: string) {
    super(message, 'conflict', 409);
  }
}

/** A compose file (or an env file it uses) cannot be read the way docker compose would. */
export class ComposeError extends AcceleroError {
  readonly file?: string;
  readonly service?: string;
  readonly field?: string;
  constructor(message: string, where: { file?: string; service?: string; field?: string } = {}) {
    super(message, 'compose_invalid', 422);
    this.file = where.file;
    this.service = where.service;
    this.field = where.field;
  }
}

/** The Docker engine refused or could not be reached. */
export class DockerError extends AcceleroError {
  constructor(message: string, code = 'docker_error', options?: { cause?: unknown }) {
    super(message, code, 502, options);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
