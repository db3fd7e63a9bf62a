// `accelero restore FILE`: puts a backup (POST /api/v1/admin/backup) in place of the database
// of a stopped daemon. The database it replaces is kept beside it; a running daemon (the
// data-directory lock) is refused with its pid, and nothing is changed.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { errorMessage } from '../errors.ts';

export interface RestoreIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
}

export async function runRestore(file: string, options: { database?: string }, io: RestoreIo): Promise<number> {
  const env = io.env ?? process.env;
  const databasePath = resolve(options.database ?? env.DATABASE_PATH ?? './data/accelero.db');
  try {
    // Loaded here: the other commands should not pay for sqlite3.
    const { restoreDatabase } = await import('../../persistence/database-backup.ts');
    const { keptAs, stacks } = await restoreDatabase(resolve(file), databasePath);
    io.stdout.write(`restored ${file} into ${databasePath} (${stacks} stacks)\n`);
    if (keptAs) io.stdout.write(`the database it replaced is kept as ${keptAs}\n`);
    io.stdout.write('start the daemon (it migrates an older backup forward and recovers any deployment the backup shows in progress)\n');
    return 0;
  } catch (error) {
    io.stderr.write(`accelero restore: ${errorMessage(error)}\n`);
    return 1;
  }
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('restore a database backup into the data directory of a stopped daemon')
    .argument('<file>', 'a file from POST /api/v1/admin/backup')
    .option('--database <path>', 'the database to replace (default: DATABASE_PATH or ./data/accelero.db)')
    .action(async (file: string, options: { database?: string }) => {
      process.exitCode = await runRestore(file, options, { stdout: process.stdout, stderr: process.stderr });
    });
}
