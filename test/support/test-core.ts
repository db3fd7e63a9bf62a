import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBus } from '../../actors/event-bus.ts';
import { HistoryPruner } from '../../actors/history-pruner.ts';
import type { StackCommands } from '../../actors/stack-commands.ts';
import type { StackApprovals } from '../../actors/stack-approvals.ts';
import type { StackCredentialCommands } from '../../actors/stack-credentials.ts';
import type { StackInspector } from '../../actors/stack-inspector.ts';
import type { StackRemoval } from '../../actors/stack-removal.ts';
import type { StackSteps } from '../../actors/stack-steps.ts';
import type { NotificationChannels } from '../../src/notifications/channels.ts';
import type { NotificationDispatcher } from '../../src/notifications/dispatcher.ts';
import type { NotificationSender } from '../../src/notifications/sender.ts';
import type { Supervisor } from '../../actors/supervisor.ts';
import { BUSY_STATES } from '../../machines/stack.types.ts';
import { openDatabase, type Database } from '../../persistence/database.ts';
import { defaultRetention, HistoryStore } from '../../persistence/history-store.ts';
import type { ComposeLoader } from '../../src/compose/types.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { buildCore, openStores, type Stores } from '../../src/main.ts';
import { createSecretBox, type SecretBox } from '../../src/secrets/index.ts';
import { eventually, quickly } from './eventually.ts';
import { FakeGitSource } from './fake-git.ts';
import { fakeCompose, fakeEngine, type FakeDockerEngine } from './fake-engine.ts';

// The daemon's graph (stores, stack actors, commands, removal, inspector) as src/main.ts builds
// it, in-process: a real SQLite file in a temp directory, fakes where git and Docker would be.

export interface TestCoreOptions {
  engine?: FakeDockerEngine;
  compose?: ComposeLoader;
  logger?: Logger;
  /** How long a DELETE waits for a running deploy (StackCommands' deleteWaitMs). */
  deleteWaitMs?: number;
  /** Notification retry delays (default: 10 ms, 20 ms) and sender (default: the real one). */
  notifications?: { retryDelaysMs?: number[]; sender?: NotificationSender };
}

export type TestStores = Stores;

export interface TestCore {
  dataDir: string;
  databasePath: string;
  db: Database;
  stores: TestStores;
  secrets: SecretBox;
  git: FakeGitSource;
  engine: FakeDockerEngine;
  bus: EventBus;
  steps: StackSteps;
  inspector: StackInspector;
  supervisor: Supervisor;
  removal: StackRemoval;
  commands: StackCommands;
  credentials: StackCredentialCommands;
  notifier: NotificationDispatcher;
  notificationChannels: NotificationChannels;
  approvals: StackApprovals;
  /** Resolves once no stack is busy or has a request queued and no deployment is open. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestCore(options: TestCoreOptions = {}): Promise<TestCore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'accelero-core-'));
  const databasePath = join(dataDir, 'accelero.db');
  const db = await openDatabase(databasePath);
  const secrets = createSecretBox({ dataDir });
  const stores = openStores(db, secrets);
  const logger = options.logger ?? silentLogger();
  const git = new FakeGitSource(join(dataDir, 'stacks'));
  const engine = options.engine ?? fakeEngine();
  const history = new HistoryPruner(new HistoryStore(db, defaultRetention), logger);
  // No daemon variable reaches `${VAR}`: no test depends on the machine's variables.
  const actors = buildCore({
    stores, history, git, engine, secrets, logger, compose: options.compose ?? fakeCompose(),
    maxConcurrentDeploys: 4, passEnv: {}, deleteWaitMs: options.deleteWaitMs,
    notifications: { retryDelaysMs: options.notifications?.retryDelaysMs ?? [10, 20], timeoutMs: 2_000, sender: options.notifications?.sender },
    policy: { dataDir, stacksDataDir: join(dataDir, 'stacks'), allow: [], allowByStack: {} },
  });
  actors.supervisor.start([]);
  const settled = () => quickly(async () => isSettled(actors.supervisor, stores), 'the stacks to settle').then(() => undefined);
  const close = async () => {
    // A test that left a step waiting must still be torn down: the wait is bounded, then the actors stop.
    await eventually(async () => actors.supervisor.busyStacks().length === 0, 'a safe point', 10_000, 20).catch(() => undefined);
    actors.supervisor.stop();
    await actors.notifier.stop();
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { dataDir, databasePath, db, stores, secrets, git, engine, ...actors, settled, close };
}

async function isSettled(supervisor: Supervisor, stores: TestStores): Promise<boolean> {
  const stacks = await stores.stacks.list();
  const quiet = stacks.every((s) => {
    const view = supervisor.state(s.id);
    return !view || (!BUSY_STATES.includes(view.state as never) && view.queued_events.length === 0);
  });
  return quiet && (await stores.deployments.listUnfinished()).length === 0;
}
