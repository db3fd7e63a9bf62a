import { Command } from 'commander';
import { errorMessage } from '../errors.ts';
import { configCommand } from './config.ts';
import { apiClientFrom, type ApiClient } from './remote/api-client.ts';
import { keysCommand } from './remote/keys.ts';
import { stacksCommand, type RemoteIo } from './remote/stacks.ts';
import { restoreCommand } from './restore.ts';
import { serveCommand } from './serve.ts';

// Exit codes: 0 done; 1 the operation failed (a deployment that failed or was rolled back, a
// bad compose file); 2 wrong usage or configuration; 3 the API refused (its message is
// printed); 4 no daemon answered at ACCELERO_URL.

let api: ApiClient | undefined;
const remote: RemoteIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  api: () => (api ??= apiClientFrom(process.env)),
  exit: (code) => { process.exitCode = code; },
};

const program = new Command('accelero')
  .description('GitOps for Docker Compose: keeps compose stacks converged with git')
  .addCommand(serveCommand())
  .addCommand(configCommand())
  .addCommand(restoreCommand())
  .addCommand(stacksCommand(remote))
  .addCommand(keysCommand(remote));

// Commander's own usage errors (unknown option, missing argument) exit 2 as well; help exits 0.
const usageErrorsExit2 = (command: Command): void => {
  command.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
  command.commands.forEach(usageErrorsExit2);
};
usageErrorsExit2(program);

program.parseAsync(process.argv).catch((error) => {
  process.stderr.write(`accelero: ${errorMessage(error)}\n`);
  process.exit((error as { exitCode?: number }).exitCode ?? 1);
});
