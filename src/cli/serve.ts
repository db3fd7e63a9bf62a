import { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { errorMessage } from '../errors.ts';
import { startAccelero, type RunningAccelero } from '../main.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the Accelero daemon (REST API, webhooks, reconcile timers)')
    .action(async () => {
      let config;
      try {
        config = loadConfig();
      } catch (error) {
        process.stderr.write(`accelero: ${errorMessage(error)}\n`);
        process.exit(2);
      }
      // Signals are taken before the start: a SIGTERM that arrives while the daemon is still
      // starting (or right after it listens) shuts it down cleanly instead of killing it.
      let stopRequested: string | undefined;
      let running: RunningAccelero | undefined;
      const stop = (signal: string) => {
        if (stopRequested) return;
        stopRequested = signal;
        if (running) shutDown(running, signal);
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      running = await startAccelero(config);
      if (stopRequested) shutDown(running, stopRequested);
    });
}

function shutDown(running: RunningAccelero, signal: string): void {
  running.shutdown(signal).then(() => process.exit(0), (error) => {
    process.stderr.write(`accelero: shutdown failed: ${errorMessage(error)}\n`);
    process.exit(1);
  });
}
