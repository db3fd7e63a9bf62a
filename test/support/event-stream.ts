import type { TestDaemon } from './daemon.ts';

// The daemon's Server-Sent Events as a test reads them: every event kept, and a wait for the
// first one that matches, so a test can act at an exact moment of a deployment.

export interface StreamEvent { kind: string; data: Record<string, any> }

export interface EventWatch {
  events: StreamEvent[];
  /** Resolves with the first event (already seen or arriving) that matches. */
  next(match: (event: StreamEvent) => boolean, what: string, timeoutMs?: number): Promise<StreamEvent>;
  close(): void;
}

export async function watchEvents(daemon: TestDaemon, stack: string): Promise<EventWatch> {
  const controller = new AbortController();
  const response = await fetch(`${daemon.url}/api/v1/events?stack=${encodeURIComponent(stack)}`, {
    headers: { 'x-api-key': daemon.apiKey }, signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`event stream of ${stack}: ${response.status}`);
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  void readFrames(response.body, (event) => {
    events.push(event);
    for (const wake of waiters) wake();
  }).catch(() => undefined);
  return {
    events,
    next(match, what, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = events.find(match);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${what} on the event stream of ${stack}`)); }, timeoutMs);
        const cleanup = () => { clearTimeout(timer); waiters.delete(look); };
        waiters.add(look);
        look();
      });
    },
    close: () => controller.abort(),
  };
}

async function readFrames(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const kind = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (kind && data) onEvent({ kind, data: JSON.parse(data) });
    }
  }
}
