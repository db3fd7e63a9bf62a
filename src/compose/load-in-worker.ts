// Loading a compose file is CPU work (YAML, interpolation, normalisation) that a large or
// hostile file can make long: the daemon does it in a worker thread, so its event loop (the
// API, timers, other stacks) never waits for it. A worker starts on the first load and stops
// when it has been idle a while.
import { Piscina } from 'piscina';
import { ComposeError } from '../errors.ts';
import { EnvFileError, InterpolationSyntaxError, InvalidValueError, RequiredVariableError, UnsupportedKeyError } from './errors.ts';
import type { WorkerAnswer, WorkerError } from './load-worker.ts';
import type { ComposeLoader, ComposeProject, LoadComposeOptions } from './types.ts';

const ERROR_TYPES: Record<string, typeof ComposeError> = {
  ComposeError, EnvFileError, InterpolationSyntaxError, InvalidValueError, RequiredVariableError, UnsupportedKeyError,
};

// From source (tsx) the worker is the .ts file beside this one; from the build (dist/server,
// scripts/build-server.ts) it is load-worker.js beside the chunk this code was bundled into.
const WORKER_FILE = new URL(import.meta.url.endsWith('.ts') ? './load-worker.ts' : './load-worker.js', import.meta.url).href;

function rebuild(error: WorkerError): Error {
  const Type = ERROR_TYPES[error.type];
  return Type ? new Type(error.message, { file: error.file, service: error.service, field: error.field }) : new Error(error.message);
}

export function createWorkerComposeLoader(options: { maxThreads?: number; idleTimeoutMs?: number } = {}): ComposeLoader & { close(): Promise<void> } {
  let pool: Piscina | undefined;
  return {
    async load(loadOptions: LoadComposeOptions): Promise<ComposeProject> {
      pool ??= new Piscina({
        filename: WORKER_FILE,
        maxThreads: options.maxThreads ?? 2, minThreads: 0, idleTimeout: options.idleTimeoutMs ?? 30_000,
      });
      // The environment is copied into the worker as plain data (never a process.env proxy).
      const environment = loadOptions.environment === undefined ? undefined : { ...loadOptions.environment };
      const answer = (await pool.run({ ...loadOptions, environment })) as WorkerAnswer;
      if ('error' in answer) throw rebuild(answer.error);
      return answer.project;
    },
    async close() {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
