// Entry point: find and read the compose file, build the project environment (process env over
// `.env`), parse YAML, interpolate values (never raw text), and assemble the project.
import { existsSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ComposeError, errorMessage } from '../errors.ts';
import { parseEnvFile } from './dotenv.ts';
import { fastParseYaml } from './fast-yaml.ts';
import { COMPOSE_YAML_OPTIONS } from './yaml-numbers.ts';
import { interpolateTree } from './interpolate-tree.ts';
import { isMapping, type Mapping } from './normalise/values.ts';
import { readInsideRoot } from './paths.ts';
import { assembleProject } from './project.ts';
import { normaliseProjectName } from './project-name.ts';
import type { ComposeLoader, ComposeProject, LoadComposeOptions } from './types.ts';

/** compose-go `cli.DefaultFileNames`, in its order of preference. */
export const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

type Environment = Record<string, string | undefined>;

export async function loadComposeProject(options: LoadComposeOptions): Promise<ComposeProject> {
  return loadComposeProjectSync(options);
}

/** The same as loadComposeProject; the work is CPU-bound and small, so it runs synchronously. */
export function loadComposeProjectSync(options: LoadComposeOptions): ComposeProject {
  const projectDir = resolve(options.projectDir);
  const rootDir = resolve(options.rootDir ?? projectDir);
  const warnings: string[] = [];
  const warn = (message: string): void => void (warnings.includes(message) || warnings.push(message));
  const composePath = options.composePath ?? findDefaultComposeFile(projectDir, warn);
  const workingDir = dirname(resolve(projectDir, composePath));
  const place = { projectDir, rootDir, file: composePath };
  const text = readInsideRoot(composePath, place);
  if (text === undefined) throw new ComposeError(`compose file ${composePath} not found in ${projectDir}`, { file: composePath });
  const onUnset = (name: string): void => warn(`The "${name}" variable is not set. Defaulting to a blank string.`);
  const processEnv = withoutDaemonSettings(options.environment ?? process.env);
  const environment = projectEnvironment(processEnv, { projectDir: workingDir, rootDir, onUnset });
  const lookup = (name: string): string | undefined => environment[name];
  const doc = interpolateTree(parseComposeYaml(text, composePath), { file: composePath, lookup, onUnset }) as Mapping;
  return assembleProject(doc, {
    file: composePath,
    composeFile: resolve(projectDir, composePath),
    field: '',
    projectDir: workingDir,
    rootDir,
    fileCache: new Map(),
    lookup,
    onUnset,
    warn,
    warnings,
    projectName: projectNameOf(options, doc, projectDir),
    profiles: options.profiles ?? splitProfiles(environment.COMPOSE_PROFILES),
  });
}

function findDefaultComposeFile(projectDir: string, warn: (message: string) => void): string {
  const found = DEFAULT_COMPOSE_FILES.filter((name) => existsSync(resolve(projectDir, name)));
  if (found.length === 0) {
    throw new ComposeError(`no compose file found in ${projectDir} (looked for ${DEFAULT_COMPOSE_FILES.join(', ')})`);
  }
  if (found.length > 1) warn(`found multiple compose files ${found.join(', ')}; using ${found[0]}`);
  return found[0];
}

export function parseComposeYaml(text: string, file: string): Mapping {
  let doc: unknown = fastParseYaml(text);
  try {
    if (doc === undefined) doc = parseYaml(text, COMPOSE_YAML_OPTIONS);
  } catch (error) {
    if (error instanceof YAMLParseError) throw new ComposeError(`${file}: invalid YAML: ${error.message}`, { file });
    // The yaml library reports alias bombs (and a few other refusals) as plain errors.
    if (/alias count/i.test(errorMessage(error))) {
      throw new ComposeError(`${file}: its YAML aliases expand to more than ${COMPOSE_YAML_OPTIONS.maxAliasCount} nodes; alias expansion is capped (a "billion laughs" file?)`, { file });
    }
    throw new ComposeError(`${file}: invalid YAML: ${errorMessage(error)}`, { file });
  }
  if (doc === null || doc === undefined) return {};
  if (!isMapping(doc)) throw new ComposeError(`${file}: the top level must be a mapping`, { file });
  return doc;
}

interface EnvironmentPlace {
  projectDir: string;
  rootDir: string;
  onUnset: (name: string) => void;
}

/** Process environment over the `.env` beside the compose file; `.env` values interpolate with the process env first. */
export function projectEnvironment(processEnv: Environment, place: EnvironmentPlace): Environment {
  const dotenvPath = relative(place.projectDir, resolve(place.projectDir, '.env'));
  const content = readInsideRoot(dotenvPath, { ...place, file: '.env' });
  if (content === undefined) return { ...processEnv };
  const lookup = (name: string): string | undefined => processEnv[name];
  const fromFile = parseEnvFile(content, { file: '.env', lookup, onUnset: place.onUnset });
  return { ...fromFile, ...definedOnly(processEnv) };
}

/**
 * The daemon's own settings (`ACCELERO_*`, among them ACCELERO_ENCRYPTION_KEY) are not stack
 * configuration: a compose file from git must not be able to copy them into a container with
 * `environment: [K=${ACCELERO_ENCRYPTION_KEY}]`. Every other variable behaves as in compose.
 */
export function withoutDaemonSettings(environment: Environment): Environment {
  const result: Environment = {};
  for (const [name, value] of Object.entries(environment)) if (!name.startsWith('ACCELERO_')) result[name] = value;
  return result;
}

function definedOnly(environment: Environment): Environment {
  return Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined));
}

/** options.projectName, else the top-level `name:`, else the project directory's name. */
function projectNameOf(options: LoadComposeOptions, doc: Mapping, projectDir: string): string {
  const raw = options.projectName ?? (typeof doc.name === 'string' && doc.name !== '' ? doc.name : basename(projectDir));
  const name = normaliseProjectName(raw);
  if (name === '') throw new ComposeError(`project name "${raw}" has no usable characters`);
  return name;
}

function splitProfiles(value: string | undefined): string[] {
  return (value ?? '').split(',').map((profile) => profile.trim()).filter((profile) => profile !== '');
}

/** The ComposeLoader seam (docs/architecture.md, Seams). */
export const composeLoader: ComposeLoader = { load: loadComposeProject };
