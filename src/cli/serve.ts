import { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { errorMessage } from '../errors.ts';
import { startAccelero } from '../main.ts';

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
      const running = await startAccelero(config);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        running.shutdown(signal).then(() => process.exit(0), (error) => {
          process.stderr.write(`accelero: shutdown failed: ${errorMessage(error)}\n`);
          process.exit(1);
        });
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
