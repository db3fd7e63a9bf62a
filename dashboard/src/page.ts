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

export const REST_STATES = new Set(['idle', 'failed', 'paused']);

export function canOperate(whoami: Whoami): boolean {
  return whoami.role === 'operator' || whoami.role === 'admin';
}

export function stackHref(name: string): string {
  return `#/stacks/${encodeURIComponent(name)}`;
}
