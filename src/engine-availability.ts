import type { Logger } from './logger.ts';
import { errorMessage } from './errors.ts';

/**
 * Watches whether the Docker engine answers. Down is said once, in one line that names the
 * socket and how to get an engine; checks go on (readyz reports 503 meanwhile) and nothing
 * the daemon holds is dropped.
 */
export class EngineAvailability {
  private status = 'not checked yet';
  private timer: NodeJS.Timeout | undefined;

  private readonly intervals: { upMs: number; downMs: number };

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly where: string,
    private readonly logger: Logger,
    /** `onBack` runs when the engine answers again after it did not. */
    private readonly options: { upMs?: number; downMs?: number; onBack?: () => void } = {},
  ) {
    this.intervals = { upMs: options.upMs ?? 30_000, downMs: options.downMs ?? 5_000 };
  }

  /** 'ok' or the reason the engine does not answer. */
  get current(): string {
    return this.status;
  }

  async start(): Promise<void> {
    await this.check();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async check(): Promise<string> {
    const before = this.status;
    try {
      await this.ping();
      this.status = 'ok';
      if (before !== 'ok' && before !== 'not checked yet') {
        this.logger.info(`Docker engine at ${this.where} answers again`);
        this.options.onBack?.();
      }
    } catch (error) {
      this.status = `no Docker engine answers at ${this.where}: ${errorMessage(error)}`;
      if (before === 'ok' || before === 'not checked yet') {
        // The ping's error already says how to get an engine (DockerEngine.ping).
        this.logger.error(`${this.status}; retrying every ${this.intervals.downMs / 1000}s`);
      }
    }
    this.schedule();
    return this.status;
  }

  private schedule(): void {
    this.stop();
    const delay = this.status === 'ok' ? this.intervals.upMs : this.intervals.downMs;
    this.timer = setTimeout(() => void this.check(), delay);
    this.timer.unref();
  }
}
