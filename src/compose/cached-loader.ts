// A stack's compose project is a function of its inputs: the files of one commit (the daemon
// loads from `<stacks>/<stack>/<commit>/`, an export that is written once, by rename, and never
// changed), the compose path, the project name, the profiles and the environment. An idle
// stack reconciling every 30 s asks for the same project each time, so the daemon keeps the
// last one per project name and answers the same inputs from it: no worker thread, no YAML,
// no copy through a message port. A new commit, a changed variable or secret is a new key.
//
// The key is a SHA-256 over the inputs, so the environment's values (secrets) are not kept.
// Each answer is a copy: callers may change the project they get. Failures are not kept:
// a broken file is read again (and reported again) every cycle.

import { createHash } from 'node:crypto';
import type { ComposeLoader, ComposeProject, LoadComposeOptions } from './types.ts';

export interface CachedComposeLoader extends ComposeLoader {
  /** Loads answered from the cache, and loads passed on (metrics, tests). */
  readonly stats: { hits: number; loads: number };
}

export function cachedComposeLoader(inner: ComposeLoader): CachedComposeLoader {
  const lastByProject = new Map<string, { key: string; project: ComposeProject }>();
  const stats = { hits: 0, loads: 0 };
  return {
    stats,
    async load(options: LoadComposeOptions): Promise<ComposeProject> {
      const key = inputsKey(options);
      const slot = options.projectName ?? options.projectDir;
      const last = lastByProject.get(slot);
      if (last?.key === key) {
        stats.hits++;
        return structuredClone(last.project);
      }
      stats.loads++;
      const project = await inner.load(options);
      lastByProject.set(slot, { key, project: structuredClone(project) });
      return project;
    },
  };
}

function inputsKey(options: LoadComposeOptions): string {
  const environment = options.environment === undefined ? null : Object.entries(options.environment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const inputs = [options.projectDir, options.composePath ?? null, options.projectName ?? null, options.rootDir ?? null, options.profiles ?? null, environment];
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}
