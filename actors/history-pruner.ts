import { errorMessage } from '../src/errors.ts';
import type { Logger } from '../src/logger.ts';
import type { HistoryStore } from '../persistence/history-store.ts';

// Keeps history bounded while the daemon runs: a stack is pruned every so many transitions it
// writes (idle cycles write three each), so its table stays near the retention limit instead
// of growing for an hour; everything (audit by age, leftovers of deleted stacks) hourly.

export class HistoryPruner {
  private readonly written = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly history: HistoryStore,
    private readonly logger: Logger,
    private readonly everyTransitions = 200,
  ) {}

  /** Called for every transition written; prunes that stack now and then. */
  noteTransition(stackId: string): void {
    const count = (this.written.get(stackId) ?? 0) + 1;
    this.written.set(stackId, count % this.everyTransitions);
    if (count < this.everyTransitions) return;
    this.history.pruneStack(stackId).catch((error: unknown) =>
      this.logger.warn({ stack_id: stackId, err: errorMessage(error) }, 'pruning the history of a stack failed; tried again later'));
  }

  /** A deleted stack: every row it owns, in one transaction. */
  async deleteStack(stackId: string): Promise<void> {
    await this.history.deleteStack(stackId);
    this.written.delete(stackId);
  }

  /** Prunes everything now and then every `intervalMs`. */
  start(intervalMs = 3_600_000): void {
    const pruneAll = () => {
      this.history.pruneAll()
        .then((pruned) => this.logger.debug({ ...pruned }, 'history pruned'))
        .catch((error: unknown) => this.logger.warn({ err: errorMessage(error) }, 'pruning the history failed; tried again later'));
    };
    pruneAll();
    this.timer = setInterval(pruneAll, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
