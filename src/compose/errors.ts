// Compose-specific error subclasses. All of them are ComposeError, so callers that only care
// about "the project is invalid" catch one type; the subclasses let tests and the CLI tell the
// kinds apart without parsing messages.
import { ComposeError } from '../errors.ts';

export interface ErrorPlace {
  file?: string;
  service?: string;
  field?: string;
}

/** `${…}` that compose-go rejects as "invalid interpolation format". */
export class InterpolationSyntaxError extends ComposeError {}

/** `${VAR:?msg}` / `${VAR?msg}` on a variable without a value. */
export class RequiredVariableError extends ComposeError {}

/** A `.env` or `env_file` that the compose env-file parser rejects. */
export class EnvFileError extends ComposeError {}

/** A key compose would accept but Accelero does not support, or a key compose does not know. */
export class UnsupportedKeyError extends ComposeError {}

/** A value of the wrong shape or out of range (ports, durations, byte sizes, ...). */
export class InvalidValueError extends ComposeError {}

/** Formats the place of an error the way users read it: `services.web.ports` in `compose.yaml`. */
export function describePlace(place: ErrorPlace): string {
  const parts: string[] = [];
  if (place.service !== undefined) parts.push(`service "${place.service}"`);
  if (place.field !== undefined) parts.push(`field "${place.field}"`);
  if (place.file !== undefined) parts.push(`in ${place.file}`);
  return parts.join(' ');
}

/** Builds an InvalidValueError whose message ends with where the value was found. */
export function invalidValue(message: string, place: ErrorPlace): InvalidValueError {
  // Messages that already name the field do not repeat it in the suffix.
  const shown = place.field !== undefined && message.includes(place.field) ? { ...place, field: undefined } : place;
  const where = describePlace(shown);
  return new InvalidValueError(where ? `${message} (${where})` : message, place);
}
