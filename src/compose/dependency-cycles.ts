// compose-go rejects dependency cycles ("dependency cycle detected"); the Docker layer orders
// services by depends_on and needs a DAG.
import { InvalidValueError } from './errors.ts';

/** Throws when following depends_on from some service leads back to it; the message names the cycle. */
export function checkNoDependencyCycles(dependsOn: Record<string, Record<string, unknown>>, file: string): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name].join(' -> ');
      throw new InvalidValueError(`dependency cycle detected: ${cycle}`, { file, service: name, field: 'depends_on' });
    }
    state.set(name, 'visiting');
    for (const next of Object.keys(dependsOn[name] ?? {})) visit(next, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(dependsOn)) visit(name, []);
}
