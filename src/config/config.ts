import { isAbsolute, resolve } from 'node:path';
import { readPolicyFile } from '../policy/policy-file.ts';
import type { PolicyFile } from '../policy/policy-file.ts';
import { parseDurationMs } from './duration.ts';
import { DEFAULT_RETRY_DELAYS_MS } from '../notifications/backoff.ts';
import { ValidationError } from '../errors.ts';

// The daemon's configuration, read once from the environment (docs/api.md, Configuration).
// A bad value is a startup error that names the variable, never a silent fallback.

export interface AcceleroConfig {
  serverPort: number;
  /** Bootstrap admin key; undefined → generated on first start into `<dataDir>/api-key`. */
  apiKey?: string;
  dataDir: string;
  databasePath: string;
  stacksDataDir: string;
  /** HOST_STACKS_DATA_DIR: where STACKS_DATA_DIR is on the Docker host, when Accelero's container mounts it elsewhere. */
  hostStacksDataDir?: string;
  /** dockerode connection: a unix socket path, or host/port for tcp. */
  docker: { socketPath: string } | { host: string; port: number; protocol: 'http' | 'https' };
  dockerDescription: string;
  /**
   * Bound on every Docker API call (DOCKER_TIMEOUT). Image pulls are bounded by progress,
   * container stops get their grace period on top, quiet streams (events, logs, wait) none.
   */
  dockerTimeoutMs: number;
  webhookSecret?: string;
  encryptionKey?: string;
  encryptionKeyFile?: string;
  maxConcurrentDeploys: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  logFormat: 'text' | 'json';
  /** Grace period for in-flight deploys at shutdown. */
  shutdownTimeoutMs: number;
  /** How long /readyz answers 503 "draining" before the listener closes (load balancers notice). */
  shutdownDrainDelayMs: number;
  /** Notifications: the waits between a failed delivery's attempts, and the bound on each attempt. */
  notifications: { retryDelaysMs: number[]; timeoutMs: number };
  /** GIT_TIMEOUT: an ls-remote or fetch that makes no progress for this long is stopped. */
  gitTimeoutMs: number;
  /** Bounded history: transitions and deployments kept per stack, audit entries kept for so many days. */
  retention: { transitions: number; deployments: number; auditDays: number };
  /** ACCELERO_PASS_ENV: the daemon variables compose interpolation may see (none by default). */
  passEnv: string[];
  /** ACCELERO_ALLOWED_HOST_PATHS: absolute bind sources must be inside one of these; undefined = any. */
  allowedHostPaths?: string[];
  /** ACCELERO_POLICY_FILE, read: deploy-policy exceptions for every stack and per stack. */
  policy: PolicyFile;
}

/** Variables that hold the daemon's own secrets: never passed to compose, even when named. */
const NEVER_PASSED = /^(ACCELERO_.*|API_KEY|WEBHOOK_SECRET)$/;

function passEnvNames(env: Env): string[] {
  const names = (env.ACCELERO_PASS_ENV ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ValidationError(`ACCELERO_PASS_ENV: "${name}" is not a variable name`, 'ACCELERO_PASS_ENV');
    if (NEVER_PASSED.test(name)) throw new ValidationError(`ACCELERO_PASS_ENV: ${name} is one of Accelero's own settings and is never passed to compose files`, 'ACCELERO_PASS_ENV');
  }
  return [...new Set(names)];
}

function allowedHostPaths(env: Env): string[] | undefined {
  const raw = env.ACCELERO_ALLOWED_HOST_PATHS;
  if (raw === undefined || raw.trim() === '') return undefined;
  const paths = raw.split(',').map((path) => path.trim()).filter(Boolean);
  const relative = paths.find((path) => !isAbsolute(path));
  if (relative !== undefined) throw new ValidationError(`ACCELERO_ALLOWED_HOST_PATHS: "${relative}" is not an absolute path`, 'ACCELERO_ALLOWED_HOST_PATHS');
  return paths.map((path) => resolve(path));
}

type Env = Record<string, string | undefined>;

function absolutePath(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  // A path on another machine (the Docker host): resolving it against this cwd would be wrong.
  if (!isAbsolute(raw)) throw new ValidationError(`${name}=${raw} is not an absolute path`, name);
  return resolve(raw);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${name}=${raw} is not a whole number between ${min} and ${max}`, name);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = raw.toLowerCase() as T;
  if (!allowed.includes(value)) {
    throw new ValidationError(`${name}=${raw} is not one of ${allowed.join(', ')}`, name);
  }
  return value;
}

function duration(env: Env, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackMs;
  const ms = parseDurationMs(raw);
  if (ms === undefined) throw new ValidationError(`${name}=${raw} is not a duration like 30s, 5m or 1h`, name);
  return ms;
}

/** A comma list of durations, e.g. `1s,5s,30s,2m`; an empty item is refused. */
function durationList(env: Env, name: string, fallbackMs: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallbackMs;
  return raw.split(',').map((item) => {
    const ms = parseDurationMs(item.trim());
    if (ms === undefined || item.trim() === '') throw new ValidationError(`${name}=${raw}: "${item.trim()}" is not a duration like 1s, 30s or 2m`, name);
    return ms;
  });
}

/** A duration that must be above zero (a zero timeout would stop every command at once). */
function positiveDuration(env: Env, name: string, fallbackMs: number): number {
  const ms = duration(env, name, fallbackMs);
  if (ms <= 0) throw new ValidationError(`${name}=${env[name]} must be longer than zero`, name);
  return ms;
}

function dockerConnection(env: Env): Pick<AcceleroConfig, 'docker' | 'dockerDescription'> {
  const raw = env.DOCKER_HOST || (env.DOCKER_SOCK ? `unix://${env.DOCKER_SOCK.replace(/^unix:\/\//, '')}` : '');
  const target = raw || 'unix:///var/run/docker.sock';
  if (target.startsWith('unix://')) {
    const socketPath = target.slice('unix://'.length);
    return { docker: { socketPath }, dockerDescription: target };
  }
  const match = /^(tcp|http|https):\/\/([^:/]+)(?::(\d+))?\/?$/.exec(target);
  if (!match) {
    const name = env.DOCKER_HOST ? 'DOCKER_HOST' : 'DOCKER_SOCK';
    throw new ValidationError(`${name}=${raw} is neither unix:///path nor tcp://host:port`, name);
  }
  const protocol = match[1] === 'https' ? 'https' : 'http';
  return { docker: { host: match[2]!, port: Number(match[3] ?? 2375), protocol }, dockerDescription: target };
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): AcceleroConfig {
  const databasePath = resolve(cwd, env.DATABASE_PATH || './data/accelero.db');
  const stacksDataDir = resolve(cwd, env.STACKS_DATA_DIR || './data/stacks');
  return {
    serverPort: integer(env, 'SERVER_PORT', 8000, 0, 65535),
    apiKey: env.API_KEY || undefined,
    dataDir: resolve(databasePath, '..'),
    databasePath,
    stacksDataDir,
    hostStacksDataDir: absolutePath(env, 'HOST_STACKS_DATA_DIR'),
    ...dockerConnection(env),
    dockerTimeoutMs: positiveDuration(env, 'DOCKER_TIMEOUT', 60_000),
    webhookSecret: env.WEBHOOK_SECRET || undefined,
    encryptionKey: env.ACCELERO_ENCRYPTION_KEY || undefined,
    encryptionKeyFile: env.ACCELERO_ENCRYPTION_KEY_FILE || undefined,
    maxConcurrentDeploys: integer(env, 'MAX_CONCURRENT_DEPLOYS', 4, 1, 256),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const),
    logFormat: oneOf(env, 'LOG_FORMAT', 'text', ['text', 'json'] as const),
    shutdownTimeoutMs: duration(env, 'SHUTDOWN_TIMEOUT', 60_000),
    shutdownDrainDelayMs: duration(env, 'SHUTDOWN_DRAIN_DELAY', 0),
    gitTimeoutMs: positiveDuration(env, 'GIT_TIMEOUT', 120_000),
    retention: {
      transitions: integer(env, 'RETENTION_TRANSITIONS', 2000, 1, 10_000_000),
      deployments: integer(env, 'RETENTION_DEPLOYMENTS', 200, 1, 1_000_000),
      auditDays: integer(env, 'RETENTION_AUDIT_DAYS', 90, 1, 36_500),
    },
    passEnv: passEnvNames(env),
    notifications: { retryDelaysMs: durationList(env, 'NOTIFICATION_RETRY_DELAYS', DEFAULT_RETRY_DELAYS_MS), timeoutMs: positiveDuration(env, 'NOTIFICATION_TIMEOUT', 10_000) },
    allowedHostPaths: allowedHostPaths(env),
    policy: env.ACCELERO_POLICY_FILE ? readPolicyFile(resolve(cwd, env.ACCELERO_POLICY_FILE)) : { allow: [], allowByStack: {} },
  };
}
