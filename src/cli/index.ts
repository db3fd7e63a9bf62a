import { Command } from 'commander';
import { errorMessage } from '../errors.ts';
import { configCommand } from './config.ts';
import { restoreCommand } from './restore.ts';
import { serveCommand } from './serve.ts';

const program = new Command('accelero')
  .description('GitOps for Docker Compose: keeps compose stacks converged with git')
  .addCommand(serveCommand())
  .addCommand(configCommand())
  .addCommand(restoreCommand());

program.parseAsync(process.argv).catch((error) => {
  process.stderr.write(`accelero: ${errorMessage(error)}\n`);
  process.exit(1);
});
