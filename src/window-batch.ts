// Many callers, one call: what is asked within a window after the first request is answered
// by one run over all of it (engine-reads.ts: one container list for every stack of a tick;
// stack-steps.ts: one UPDATE for the reconcile stamps of a tick). A request never joins a run
// that has started, so its answer is never older than the request.

/** Queries made while a window is open are answered together by one run, in order. */
export class WindowBatch<Query, Answer> {
  private pending: Array<{ query: Query; resolve(answer: Answer): void; reject(error: unknown): void }> | undefined;

  constructor(private readonly windowMs: number, private readonly run: (queries: Query[]) => Promise<Answer[]>) {}

  get(query: Query): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      if (!this.pending) {
        this.pending = [];
        setTimeout(() => this.flush(), this.windowMs);
      }
      this.pending.push({ query, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.pending ?? [];
    this.pending = undefined;
    this.run(batch.map((b) => b.query)).then(
      (answers) => batch.forEach((b, i) => b.resolve(answers[i]!)),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
  }
}
