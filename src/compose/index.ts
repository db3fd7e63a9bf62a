// Public API of the compose engine. Everything else in src/compose is internal.
export { composeLoader, loadComposeProject, loadComposeProjectSync, DEFAULT_COMPOSE_FILES } from './load.ts';
export { normaliseProjectName } from './project-name.ts';
export { interpolateTemplate, type VariableLookup } from './interpolate.ts';
export { parseEnvFile } from './dotenv.ts';
export { canonicalJson, computeConfigHash } from './config-hash.ts';
export { printableProject } from './print-model.ts';
export * from './errors.ts';
export type * from './types.ts';
