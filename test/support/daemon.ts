import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildServer } from '../../scripts/build-server.ts';
import { jsonClient } from './http-client.ts';

const root = resolve(import.meta.dirname, '../..');
const running = new Set<ChildProcess>();
// bin/accelero runs the build (dist/server): built once per test process from the sources as
// they are, so a test never runs a stale build nor needs `npm run build` first.
let built: Promise<string> | undefined;
export function ensureServerBuilt(): Promise<string> {
  return (built ??= buildServer(root));
}
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A real Accelero daemon (bin/accelero serve) on a free port with its own data directory. */
export interface TestDaemon {
  url: string;
  apiKey: string;
  dataDir: string;
  /** The daemon's process id (bin/accelero execs node, so it is the node process). */
  pid: number;
  /** Everything the daemon printed so far (stdout + stderr). */
  output(): string;
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, for recovery tests. */
  kill(): Promise<void>;
  /** Removes the data directory (after stop). */
  cleanup(): Promise<void>;
}

/**
 * `until: 'answering'` returns as soon as the listener is up (the daemon may still wait for its
 * database); the default waits until it serves the API.
 */
export async function startDaemon(options: { dataDir?: string; env?: Record<string, string>; until?: 'listening' | 'answering' } = {}): Promise<TestDaemon> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'accelero-daemon-')));
  const apiKey = options.env?.API_KEY ?? 'acc_test_key_0123456789';
  await ensureServerBuilt();
  const child = spawn(join(root, 'bin/accelero'), ['serve'], {
    cwd: root,
    env: {
      ...process.env,
      SERVER_PORT: '0',
      API_KEY: apiKey,
      DATABASE_PATH: join(dataDir, 'accelero.db'),
      STACKS_DATA_DIR: join(dataDir, 'stacks'),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A failing test must not leave a daemon behind, nor keep the test process alive for it:
  // the daemon holds the event loop only while a test waits for it to start or stop.
  child.unref();
  (child.stdout as unknown as { unref(): void }).unref();
  (child.stderr as unknown as { unref(): void }).unref();
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const port = await waitForPort(child, () => output, options.until ?? 'listening');
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    url, apiKey, dataDir, pid: child.pid!,
    output: () => output,
    request: jsonClient(url, apiKey),
    async stop() {
      child.ref();
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.ref();
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

function waitForPort(child: ChildProcess, output: () => string, until: 'listening' | 'answering'): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon did not start within 60 s:\n${output()}`)), 60_000);
    const look = () => {
      const match = new RegExp(`${until} on http://0\\.0\\.0\\.0:(\\d+)`).exec(output());
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`daemon exited with ${code} before listening:\n${output()}`));
    });
  });
}

// Kept here too: the daemon's tests have always imported it from this file.
export { eventually } from './eventually.ts';
