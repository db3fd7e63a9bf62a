import { SseParser } from './sse.ts';
import type { StreamEvent } from './types.ts';

// Live updates from GET /api/v1/events. EventSource cannot send a header, and a key in the URL
// would land in access logs and the browser history, so the stream is read with fetch() and
// the X-API-KEY header, and reconnected with backoff when it drops. After a reconnect the page
// reloads what it shows, since events sent meanwhile are gone.

export type StreamStatus = 'connecting' | 'live' | 'retrying' | 'denied';

export interface FollowOptions {
  key: string;
  /** One stack's events (id or name); all stacks otherwise. */
  stack?: string;
  onEvent(event: StreamEvent): void;
  onStatus(status: StreamStatus, reconnected: boolean): void;
}

const MAX_BACKOFF_MS = 15_000;

export function followEvents(options: FollowOptions): { close(): void } {
  const controller = new AbortController();
  let attempt = 0;
  let wasLive = false;
  const url = options.stack ? `/api/v1/events?stack=${encodeURIComponent(options.stack)}` : '/api/v1/events';
  const run = async () => {
    while (!controller.signal.aborted) {
      options.onStatus(attempt === 0 ? 'connecting' : 'retrying', false);
      try {
        const response = await fetch(url, { headers: { 'X-API-KEY': options.key, Accept: 'text/event-stream' }, signal: controller.signal, cache: 'no-store' });
        if (response.status === 401 || response.status === 403) {
          options.onStatus('denied', false);
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        await read(response.body, (event) => {
          if (event.kind === 'hello') {
            options.onStatus('live', wasLive);
            wasLive = true;
            attempt = 0;
          }
          options.onEvent(event);
        });
      } catch {
        // Dropped or refused: try again below, unless the page closed the stream.
      }
      if (controller.signal.aborted) return;
      attempt += 1;
      options.onStatus('retrying', false);
      await sleep(Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt), controller.signal);
    }
  };
  void run();
  return { close: () => controller.abort() };
}

async function read(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    for (const frame of parser.push(decoder.decode(value, { stream: true }))) {
      try {
        onEvent({ kind: frame.event, ...JSON.parse(frame.data) } as StreamEvent);
      } catch {
        // A frame that is not JSON is not ours to show.
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
