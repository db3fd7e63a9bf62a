// A door a fake step waits at until the test opens it; `entered` tells the test that a step
// has arrived there, so a test waits for that signal instead of sleeping.

export class Gate {
  private opened = false;
  private readonly waiting: Array<() => void> = [];
  private arrive!: () => void;
  /** Resolves when the first caller waits at the gate. */
  readonly entered = new Promise<void>((resolve) => { this.arrive = resolve; });
  /** How many callers have waited here so far. */
  arrivals = 0;

  async wait(): Promise<void> {
    this.arrivals += 1;
    this.arrive();
    if (this.opened) return;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  open(): void {
    this.opened = true;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
