import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

// Credentials never reach a log line: these paths are censored wherever they appear.
const redactPaths = [
  'repo_token', 'repo_ssh_key', 'docker_password', 'password', 'token', 'apiKey', 'api_key',
  '*.repo_token', '*.repo_ssh_key', '*.docker_password', '*.password', '*.token',
  'req.headers["x-api-key"]', 'headers["x-api-key"]', 'headers.authorization',
];

export function createLogger(options: { level: string; format: 'text' | 'json' }): Logger {
  const base = { level: options.level, redact: { paths: redactPaths, censor: '[redacted]' } };
  if (options.format === 'json') return pino(base);
  return pino(base, pretty({ colorize: false, sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
