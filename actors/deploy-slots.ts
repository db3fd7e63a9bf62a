// Caps concurrent deploys across stacks (MAX_CONCURRENT_DEPLOYS). A stack holds at most one
// slot; `release` is idempotent so the machine can release on every way out of a deploy.

export class DeploySlots {
  private readonly holders = new Set<string>();
  private readonly waiting: Array<{ stackId: string; grant: () => void }> = [];

  constructor(private readonly limit: number) {}

  async acquire(stackId: string): Promise<void> {
    if (this.holders.has(stackId)) return;
    if (this.holders.size < this.limit) {
      this.holders.add(stackId);
      return;
    }
    await new Promise<void>((grant) => this.waiting.push({ stackId, grant }));
  }

  release(stackId: string): void {
    const queued = this.waiting.findIndex((w) => w.stackId === stackId);
    if (queued >= 0) this.waiting.splice(queued, 1);
    if (!this.holders.delete(stackId)) return;
    const next = this.waiting.shift();
    if (next) {
      this.holders.add(next.stackId);
      next.grant();
    }
  }

  get inUse(): number {
    return this.holders.size;
  }
}
