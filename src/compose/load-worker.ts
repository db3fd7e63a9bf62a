// The worker side of loadInWorker (load-in-worker.ts): loads one project and answers with it,
// or with what the error was, so the daemon's thread can throw the same error type.
import { AcceleroError } from '../errors.ts';
import { loadComposeProjectSync } from './load.ts';
import type { ComposeProject, LoadComposeOptions } from './types.ts';

export interface WorkerError {
  type: string;
  message: string;
  file?: string;
  service?: string;
  field?: string;
}

export type WorkerAnswer = { project: ComposeProject } | { error: WorkerError };

export default function load(options: LoadComposeOptions): WorkerAnswer {
  try {
    return { project: loadComposeProjectSync(options) };
  } catch (error) {
    const where = error as { file?: string; service?: string; field?: string };
    const type = error instanceof AcceleroError ? error.constructor.name : 'Error';
    return { error: { type, message: error instanceof Error ? error.message : String(error), file: where.file, service: where.service, field: where.field } };
  }
}
