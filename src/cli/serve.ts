import { Command } from 'commander';
import { errorMessage } from '../errors.ts';
import type { RunningAccelero } from '../main.ts';

// The daemon's modules (koa, typeorm, dockerode, the actors) are imported when `serve` runs,
// not when the CLI starts: `accelero config` never loads them.

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the Accelero daemon (REST API, webhooks, reconcile timers)')
    .action(async () => {
      const [{ loadConfig }, { startAccelero }] = await Promise.all([import('../config/config.ts'), import('../main.ts')]);
      let config;
      try {
        config = loadConfig();
      } catch (error) {
        process.stderr.write(`accelero: ${errorMessage(error)}\n`);
        process.exit(2);
      }
      // Signals are taken before the start: a SIGTERM that arrives while the daemon is still
      // starting (or right after it listens) shuts it down cleanly instead of killing it.
      // A daemon still waiting (for its database) stops waiting.
      let stopRequested: string | undefined;
      let running: RunningAccelero | undefined;
      const starting = new AbortController();
      const stop = (signal: string) => {
        if (stopRequested) return;
        stopRequested = signal;
        if (running) shutDown(running, signal);
        else starting.abort(new Error(`stopped by ${signal} while starting`));
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      try {
        running = await startAccelero(config, { signal: starting.signal });
      } catch (error) {
        // A stop while starting is a clean exit; anything else (the data directory is locked
        // by another daemon, a database that cannot be opened) a start that failed.
        if (stopRequested) process.exit(0);
        process.stderr.write(`accelero: ${errorMessage(error)}
`);
        process.exit(1);
      }
      if (stopRequested) shutDown(running, stopRequested);
    });
}

function shutDown(running: RunningAccelero, signal: string): void {
  running.shutdown(signal).then(() => process.exit(0), (error) => {
    process.stderr.write(`accelero: shutdown failed: ${errorMessage(error)}\n`);
    process.exit(1);
  });
}
