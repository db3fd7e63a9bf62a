import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeploySlots } from '../../actors/deploy-slots.ts';
import { EventBus } from '../../actors/event-bus.ts';
import { HistoryPruner } from '../../actors/history-pruner.ts';
import { recoveryOf } from '../../actors/recovery.ts';
import { StackCommands } from '../../actors/stack-commands.ts';
import { StackInspector } from '../../actors/stack-inspector.ts';
import { StackRemoval } from '../../actors/stack-removal.ts';
import { StackSteps } from '../../actors/stack-steps.ts';
import { stackInputFrom, Supervisor } from '../../actors/supervisor.ts';
import { TransitionRecorder } from '../../actors/transition-recorder.ts';
import { BUSY_STATES } from '../../machines/stack.types.ts';
import { openDatabase, type Database } from '../../persistence/database.ts';
import { DeploymentStore } from '../../persistence/deployment-store.ts';
import { DriftStore } from '../../persistence/drift-store.ts';
import { defaultRetention, HistoryStore } from '../../persistence/history-store.ts';
import { SnapshotStore } from '../../persistence/snapshot-store.ts';
import { StackStore } from '../../persistence/stack-store.ts';
import { TransitionStore } from '../../persistence/transition-store.ts';
import type { ComposeLoader } from '../../src/compose/types.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
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
}

export type TestStores = ReturnType<typeof openStores>;

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
  /** Resolves once no stack is busy or has a request queued and no deployment is open. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

function openStores(db: Database) {
  return {
    stacks: new StackStore(db), deployments: new DeploymentStore(db), snapshots: new SnapshotStore(db),
    transitions: new TransitionStore(db), drift: new DriftStore(db),
  };
}

export async function startTestCore(options: TestCoreOptions = {}): Promise<TestCore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'accelero-core-'));
  const databasePath = join(dataDir, 'accelero.db');
  const db = await openDatabase(databasePath);
  const stores = openStores(db);
  const logger = options.logger ?? silentLogger();
  const secrets = createSecretBox({ dataDir });
  const git = new FakeGitSource(join(dataDir, 'stacks'));
  const engine = options.engine ?? fakeEngine();
  const actors = buildActors({ stores, db, logger, secrets, git, engine, compose: options.compose ?? fakeCompose(), deleteWaitMs: options.deleteWaitMs });
  actors.supervisor.start([]);
  const settled = () => quickly(async () => isSettled(actors.supervisor, stores), 'the stacks to settle').then(() => undefined);
  const close = async () => {
    // A test that left a step waiting must still be torn down: the wait is bounded, then the actors stop.
    await eventually(async () => actors.supervisor.busyStacks().length === 0, 'a safe point', 10_000, 20).catch(() => undefined);
    actors.supervisor.stop();
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { dataDir, databasePath, db, stores, secrets, git, engine, ...actors, settled, close };
}

interface Collaborators {
  stores: TestStores; db: Database; logger: Logger; secrets: SecretBox; git: FakeGitSource; engine: FakeDockerEngine;
  compose: ComposeLoader; deleteWaitMs?: number;
}

function buildActors({ stores, db, logger, secrets, git, engine, compose, deleteWaitMs }: Collaborators) {
  const { stacks, deployments, transitions, drift } = stores;
  const bus = new EventBus();
  const history = new HistoryPruner(new HistoryStore(db, defaultRetention), logger);
  // The environment `${VAR}` sees is empty: no test depends on the machine's variables.
  const steps = new StackSteps({ ...stores, git, compose, engine, secrets, bus, logger, environment: {} });
  const inspector = new StackInspector({ git, compose, engine, secrets, drift, deployments, environment: {} });
  const recorder = new TransitionRecorder(transitions, stacks, bus, logger, (stackId) => history.noteTransition(stackId));
  const supervisor = new Supervisor({
    steps, recorder, logger, slots: new DeploySlots(4),
    endDeployment: (end) => deployments.end(end),
    currentInput: async (stackId) => {
      const stack = await stacks.find(stackId);
      return stack ? stackInputFrom(stack, await recoveryOf({ deployments, logger }, stackId)) : undefined;
    },
  });
  const removal = new StackRemoval({
    stacks, git, engine, logger,
    deleteHistory: async (stackId) => {
      await history.deleteStack(stackId);
      recorder.forget(stackId);
    },
  });
  const commands = new StackCommands({ stacks, deployments, supervisor, secrets, logger, removal, deleteWaitMs });
  return { bus, steps, inspector, supervisor, removal, commands };
}

async function isSettled(supervisor: Supervisor, stores: TestStores): Promise<boolean> {
  const stacks = await stores.stacks.list();
  const quiet = stacks.every((s) => {
    const view = supervisor.state(s.id);
    return !view || (!BUSY_STATES.includes(view.state as never) && view.queued_events.length === 0);
  });
  return quiet && (await stores.deployments.listUnfinished()).length === 0;
}
