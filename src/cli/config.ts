// `accelero config [--project-dir DIR] [--file F] [--format yaml|json]`: prints the resolved project
// like `docker compose config`, or the error on stderr with a non-zero exit status. Users run it to
// check a repository before pushing it (`--quiet` only checks; `--services` lists the services).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { errorMessage } from '../errors.ts';
import { loadComposeProject } from '../compose/load.ts';
import { printableProject } from '../compose/print-model.ts';
import type { ComposeProject } from '../compose/types.ts';

export interface ConfigCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Interpolation environment; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Base for a relative --project-dir; defaults to process.cwd(). */
  cwd?: string;
}

export interface ConfigCommandOptions {
  projectDir?: string;
  file?: string;
  format?: string;
  projectName?: string;
  profile?: string[];
  /** Only validate: print nothing but warnings and errors. */
  quiet?: boolean;
  /** Print the enabled service names, one a line. */
  services?: boolean;
}

const USAGE =
  'usage: accelero config [--project-dir DIR] [--file F] [--format yaml|json] [--project-name NAME] [--profile P]... [--quiet] [--services]\n';

/** Runs the command on raw arguments (after `config`); resolves to the exit status. */
export async function runConfigCommand(argv: string[], io: ConfigCommandIo): Promise<number> {
  let options: ConfigCommandOptions;
  try {
    options = parseConfigArguments(argv);
  } catch (error) {
    io.stderr.write(`${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  return printConfig(options, io);
}

function parseConfigArguments(argv: string[]): ConfigCommandOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'project-dir': { type: 'string' },
      file: { type: 'string', short: 'f' },
      format: { type: 'string' },
      'project-name': { type: 'string', short: 'p' },
      profile: { type: 'string', multiple: true },
      quiet: { type: 'boolean', short: 'q' },
      services: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    projectDir: values['project-dir'],
    file: values.file,
    format: values.format,
    projectName: values['project-name'],
    profile: values.profile,
    quiet: values.quiet,
    services: values.services,
  };
}

/** The command body, shared by runConfigCommand and the commander factory. */
export async function printConfig(options: ConfigCommandOptions, io: ConfigCommandIo): Promise<number> {
  const format = options.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') {
    io.stderr.write(`unknown format "${format}" (use yaml or json)\n`);
    return 2;
  }
  try {
    const project = await loadComposeProject({
      projectDir: resolveDir(options.projectDir, io.cwd),
      composePath: options.file,
      projectName: options.projectName,
      environment: io.env ?? process.env,
      profiles: options.profile,
    });
    for (const warning of project.warnings) io.stderr.write(`WARN ${warning}\n`);
    io.stdout.write(render(project, options, format));
    return 0;
  } catch (error) {
    io.stderr.write(`${errorMessage(error)}\n`);
    return 1;
  }
}

function render(project: ComposeProject, options: ConfigCommandOptions, format: string): string {
  if (options.quiet) return '';
  if (options.services) return Object.keys(project.services).map((name) => `${name}\n`).join('');
  const printable = printableProject(project);
  // YAML 1.1 output quotes `no`, `yes`, `on` and `1000:1000`, so older YAML readers see strings.
  return format === 'json' ? `${JSON.stringify(printable, null, 2)}\n` : stringify(printable, { lineWidth: 0, version: '1.1' });
}

function resolveDir(dir: string | undefined, cwd: string | undefined): string {
  return resolve(cwd ?? process.cwd(), dir ?? '.');
}

/** A commander command for bin/accelero: `program.addCommand(configCommand())`. */
export function configCommand(io: ConfigCommandIo = { stdout: process.stdout, stderr: process.stderr }): Command {
  return new Command('config')
    .description('print the resolved compose project, like `docker compose config`')
    .option('--project-dir <dir>', 'directory of the compose file (default: current directory)')
    .option('-f, --file <file>', 'compose file, relative to the project directory')
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('-p, --project-name <name>', 'project name (default: name: or the directory name)')
    .option('--profile <profile...>', 'profiles to enable')
    .option('-q, --quiet', 'only validate the project; print nothing')
    .option('--services', 'print the enabled service names')
    .action(async (options: ConfigCommandOptions) => {
      process.exitCode = await printConfig(options, io);
    });
}
