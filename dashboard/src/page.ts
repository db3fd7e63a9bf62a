import type { Api } from './api.ts';
import type { StreamStatus } from './event-stream.ts';
import type { Whoami } from './types.ts';

// What every page gets, and what it hands back so the router can close it.

export interface PageContext {
  api: Api;
  whoami: Whoami;
  root: HTMLElement;
  setLive(status: StreamStatus): void;
}

export interface Page {
  dispose(): void;
}

export const REST_STATES = new Set(['idle', 'awaiting_approval', 'failed', 'paused']);

/** Whether the key may deploy, roll back or pause this stack (its grant there, else its role). */
export function canOperate(whoami: Whoami, stack: { id: string; name: string }): boolean {
  const role = whoami.stack_grants?.[stack.id] ?? whoami.stack_grants?.[stack.name] ?? whoami.role;
  return role === 'operator' || role === 'admin';
}

export function stackHref(name: string): string {
  return `#/stacks/${encodeURIComponent(name)}`;
}
