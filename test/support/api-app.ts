import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { ApiKeyStore } from '../../persistence/api-key-store.ts';
import { AuditStore } from '../../persistence/audit-store.ts';
import { createApp } from '../../src/api/app.ts';
import { databaseBackups } from '../../persistence/database-backup.ts';
import { jsonClient, parseJson, type JsonRequest } from './http-client.ts';
import { startTestCore, type TestCore, type TestCoreOptions } from './test-core.ts';

// The Koa app of the daemon served in-process on a free port: the real routes, middleware,
// stores (a SQLite file in a temp directory) and stack actors, with git and Docker faked.
// Tests do real HTTP requests with fetch, as a client of the daemon would.

export interface TestApiOptions extends TestCoreOptions {
  /** The bootstrap admin key (API_KEY). */
  apiKey?: string;
  /** WEBHOOK_SECRET. */
  webhookSecret?: string;
  /** The Docker check of /readyz; 'ok' unless a test says otherwise. */
  docker?: () => Promise<string>;
  /** The built dashboard the app serves (default: dist/dashboard). */
  dashboardDir?: string;
}

export interface TestApi {
  url: string;
  apiKey: string;
  core: TestCore;
  request: JsonRequest;
  /** What SIGTERM switches on in the daemon: /readyz says draining and new work is refused. */
  setDraining(draining: boolean): void;
  /** Everything logged so far, one JSON object a line (debug level). */
  logText(): string;
  logLines(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  let logText = '';
  const logger = pino({ level: 'debug' }, { write: (line: string) => { logText += line; } });
  const core = await startTestCore({ ...options, logger });
  const apiKey = options.apiKey ?? 'acc_test_key_0123456789';
  let draining = false;
  const app = createApp({
    ...core.stores, bus: core.bus, inspector: core.inspector, supervisor: core.supervisor, commands: core.commands, credentials: core.credentials, notificationChannels: core.notificationChannels, approvals: core.approvals, containers: core.engine, resources: core.engine, database: databaseBackups(core.databasePath), logger,
    apiKeys: new ApiKeyStore(core.db), audit: new AuditStore(core.db), bootstrapKey: apiKey, webhookSecret: options.webhookSecret,
    stackWebhookSecret: (stack) => (stack.webhook_secret_sealed ? core.secrets.decrypt(stack.webhook_secret_sealed) : undefined),
    readiness: { database: () => core.db.health(), docker: options.docker ?? (async () => 'ok'), draining: () => draining },
    dashboardDir: options.dashboardDir,
  });
  const server = createServer(app.callback());
  const url = await listen(server);
  return {
    url, apiKey, core,
    request: jsonClient(url, apiKey),
    setDraining: (value) => { draining = value; },
    logText: () => logText,
    logLines: () => logText.split('\n').filter(Boolean).map(parseJson).filter((line) => typeof line === 'object'),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await core.close();
    },
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}
