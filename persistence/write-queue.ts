// One write queue per database: SQLite allows one writer, and TypeORM on sqlite3 shares one
// connection, so overlapping transactions from concurrent stack actors would interleave.
// Every write goes through `run`, in order; a failing write rejects only its own caller.

export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(write: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(write);
    this.tail = result.catch(() => undefined).finally(() => {
      this.pending -= 1;
    });
    return result;
  }

  /** Resolves when every write queued so far has finished. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
