import type { PushEvent } from './match.ts';
import type { Verdict } from './signatures.ts';

// What each webhook provider module tells the route: how to check its signature or token,
// which delivery id it sends (for replay protection), and what an event means.

export interface WebhookRequest {
  header(name: string): string;
  rawBody: Buffer;
}

export type WebhookEvent =
  | { kind: 'ping' }
  | { kind: 'push'; push: PushEvent }
  | { kind: 'ignored'; event: string };

export interface WebhookProvider {
  name: string;
  /** Checks the request's signature or token against one secret. */
  verify(request: WebhookRequest, secret: string): Verdict;
  /** A per-delivery id, when the provider sends one. */
  deliveryId(request: WebhookRequest): string | undefined;
  /** Reads the event from the headers and the parsed JSON payload; throws ValidationError on a bad shape. */
  parse(request: WebhookRequest, payload: unknown): WebhookEvent;
}

export const ZERO_COMMIT = /^0{40}$/;

/** The first non-empty header of these names. */
export function firstHeader(request: WebhookRequest, ...names: string[]): string {
  for (const name of names) {
    const value = request.header(name);
    if (value) return value;
  }
  return '';
}

export function nonEmpty(values: ReadonlyArray<string | null | undefined>): string[] {
  return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
}
