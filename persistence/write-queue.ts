import pRetry from 'p-retry';
import { DatabaseWriteError } from './errors.ts';

// One write queue per database: SQLite allows one writer, and TypeORM on sqlite3 shares one
// connection, so overlapping transactions from concurrent stack actors would interleave.
// Every write goes through `run`, in order; a failing write rejects only its own caller.
//
// A transient failure (disk full, database locked, I/O error) is retried with backoff while
// the writes behind it wait, so the order of writes holds through an outage. A write is
// retried as a whole: each one is a single statement or its own transaction, so a failed
// attempt leaves nothing behind. The budget counts from when a write was queued, so a long
// outage cannot pile up a backlog of writes that each wait the full budget again.

export interface WriteRetryPolicy {
  /** How long a write may keep failing, counted from when it was queued. */
  budgetMs: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const defaultWriteRetry: WriteRetryPolicy = { budgetMs: 30_000, minDelayMs: 200, maxDelayMs: 5_000 };

export interface OutageLogger {
  error(message: string): void;
  info(message: string): void;
}

export interface WriteQueueOptions {
  retry?: Partial<WriteRetryPolicy>;
  logger?: OutageLogger;
  /** Whether retrying can help; false rejects at once (constraint violations, SQL errors). */
  isTransient?: (error: unknown) => boolean;
  /** The cause in an operator's words, e.g. "disk full at /data (0 B free)". */
  describe?: (error: unknown) => Promise<string> | string;
  /** Runs after every failed attempt, before the next write (SQLite: clears an abandoned transaction). */
  afterFailedAttempt?: () => Promise<void>;
}

export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private outage: { cause: string; since: number } | undefined;
  private readonly policy: WriteRetryPolicy;

  constructor(private readonly options: WriteQueueOptions = {}) {
    this.policy = { ...defaultWriteRetry, ...options.retry };
  }

  run<T>(write: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.policy.budgetMs;
    this.pending += 1;
    const result = this.tail.then(() => this.attempt(write, deadline));
    this.tail = result.catch(() => undefined).finally(() => {
      this.pending -= 1;
    });
    return result;
  }

  /** Resolves when every write queued so far has finished. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  /** 'ok', or why writes fail right now ("writes failing: disk full at /data (0 B free)"). */
  status(): 'ok' | string {
    return this.outage ? `writes failing: ${this.outage.cause}` : 'ok';
  }

  private async attempt<T>(write: () => Promise<T>, deadline: number): Promise<T> {
    const { minDelayMs, maxDelayMs } = this.policy;
    let lastTransient: unknown;
    try {
      const value = await pRetry(() => this.once(write), {
        retries: Number.POSITIVE_INFINITY, factor: 2, randomize: true, minTimeout: minDelayMs, maxTimeout: maxDelayMs,
        // A write that already waited out its budget behind an outage gets one attempt, no
        // retries; so does one with less left than a backoff delay (the write ahead of it may
        // have stopped a delay short of the shared deadline).
        maxRetryTime: retryTimeLeft(deadline - Date.now(), maxDelayMs),
        shouldRetry: ({ error }) => this.transient(error),
        onFailedAttempt: async ({ error }) => {
          if (!this.transient(error)) return;
          lastTransient = error;
          await this.reportFailing(error);
        },
      });
      this.reportRecovered();
      return value;
    } catch (error) {
      if (error !== lastTransient) throw error;
      const queuedAt = deadline - this.policy.budgetMs;
      throw new DatabaseWriteError(this.outage?.cause ?? String(error), Date.now() - queuedAt, error);
    }
  }

  private async once<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      await this.options.afterFailedAttempt?.();
      throw error;
    }
  }

  private transient(error: unknown): boolean {
    return this.options.isTransient?.(error) ?? false;
  }

  private async reportFailing(error: unknown): Promise<void> {
    const cause = (await this.options.describe?.(error)) ?? (error instanceof Error ? error.message : String(error));
    if (this.outage) {
      this.outage.cause = cause;
      return;
    }
    this.outage = { cause, since: Date.now() };
    this.options.logger?.error(`database writes failing: ${cause}; retrying with backoff (up to ${this.policy.budgetMs / 1000} s per write)`);
  }

  private reportRecovered(): void {
    if (!this.outage) return;
    const seconds = Math.round((Date.now() - this.outage.since) / 1000);
    this.options.logger?.info(`database writes work again after ${seconds} s (${this.outage.cause})`);
    this.outage = undefined;
  }
}

function retryTimeLeft(remainingMs: number, maxDelayMs: number): number {
  return remainingMs > maxDelayMs ? remainingMs : 0;
}
