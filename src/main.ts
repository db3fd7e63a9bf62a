import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { DeploySlots } from '../actors/deploy-slots.ts';
import { EventBus } from '../actors/event-bus.ts';
import { HistoryPruner } from '../actors/history-pruner.ts';
import { approvalOf, planRecovery, recoveryOf } from '../actors/recovery.ts';
import { StackCommands } from '../actors/stack-commands.ts';
import { StackApprovals } from '../actors/stack-approvals.ts';
import { StackCredentialCommands } from '../actors/stack-credentials.ts';
import { StackRemoval } from '../actors/stack-removal.ts';
import { StackSteps } from '../actors/stack-steps.ts';
import { StackInspector } from '../actors/stack-inspector.ts';
import { stackInputFrom, Supervisor } from '../actors/supervisor.ts';
import { TransitionRecorder } from '../actors/transition-recorder.ts';
import { acquireDataDirLock, type DataDirLock } from '../persistence/data-dir-lock.ts';
import { databaseBackups } from '../persistence/database-backup.ts';
import { openDatabaseWhenPossible } from '../persistence/database-opener.ts';
import type { Database } from '../persistence/database.ts';
import { HistoryStore } from '../persistence/history-store.ts';
import { ApiKeyStore } from '../persistence/api-key-store.ts';
import { AuditStore } from '../persistence/audit-store.ts';
import { DeploymentStore } from '../persistence/deployment-store.ts';
import { SnapshotStore } from '../persistence/snapshot-store.ts';
import { StackStore } from '../persistence/stack-store.ts';
import { DriftStore } from '../persistence/drift-store.ts';
import { TransitionStore } from '../persistence/transition-store.ts';
import { openStackRegistryStore, openStackSecretStore } from '../persistence/stack-keyed-store.ts';
import { WebhookDeliveryStore } from '../persistence/webhook-delivery-store.ts';
import { NotificationStore } from '../persistence/notification-store.ts';
import type { DeploymentRecord } from '../persistence/entities/records.ts';
import { createApp } from './api/app.ts';
import { loadOrCreateApiKey } from './api-key-file.ts';
import { createWorkerComposeLoader } from './compose/load-in-worker.ts';
import { cachedComposeLoader } from './compose/cached-loader.ts';
import type { ComposeLoader } from './compose/types.ts';
import type { AcceleroConfig } from './config/config.ts';
import { createDockerClient } from './docker/client.ts';
import { createDockerEngine, type DockerEngine } from './docker/index.ts';
import { checkOwnContainer } from './docker/own-container.ts';
import { EngineAvailability } from './engine-availability.ts';
import { openFrontDoor, type FrontDoor } from './front-door.ts';
import { createGitSource, type AcceleroGitSource } from './git/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { recordDeploySlotsInUse, recordDeploymentFinished } from './metrics.ts';
import { createSecretBox, type SecretBox } from './secrets/index.ts';
import { DeployPolicy, type PolicySettings } from './policy/index.ts';
import { DEFAULT_RETRY_DELAYS_MS } from './notifications/backoff.ts';
import { NotificationChannels } from './notifications/channels.ts';
import { NotificationDispatcher } from './notifications/dispatcher.ts';
import { createNotificationSender, type NotificationSender } from './notifications/sender.ts';

// The composition root: the only place that builds singletons. Everything else receives its
// collaborators, so tests can build the same graph around a temp directory.

export interface RunningAccelero {
  port: number;
  apiKey: string;
  shutdown(reason: string): Promise<void>;
}

export async function startAccelero(config: AcceleroConfig, options: { signal?: AbortSignal } = {}): Promise<RunningAccelero> {
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  await mkdir(config.stacksDataDir, { recursive: true });
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  // One daemon per data directory: a second one stops here, naming the first.
  const lock = await acquireDataDirLock(config.dataDir);
  let front: FrontDoor | undefined;
  try {
    front = await openFrontDoor(config.serverPort);
    logger.info(`Accelero answering on http://0.0.0.0:${front.port} while it starts`);
    return await startServing(config, logger, front, lock, options.signal);
  } catch (error) {
    front?.server.close();
    await lock.release();
    throw error;
  }
}

async function startServing(config: AcceleroConfig, logger: Logger, front: FrontDoor, lock: DataDirLock, signal?: AbortSignal): Promise<RunningAccelero> {
  const apiKey = await bootstrapApiKey(config, logger, front.port);
  const db = await openDatabaseWaiting(config, logger, front, signal);
  const secrets = createSecretBox({ key: config.encryptionKey, keyFile: config.encryptionKeyFile, dataDir: config.dataDir });
  const stores = openStores(db, secrets);
  const history = new HistoryPruner(new HistoryStore(db, config.retention), logger);
  const engine = await dockerEngine(config, logger);
  const git = createGitSource({ dataDir: config.stacksDataDir, logger: logger.child({ component: 'git' }), commandTimeoutMs: config.gitTimeoutMs });
  const compose = createWorkerComposeLoader();
  const core = buildCore({
    // An idle stack's cycle asks for the project of the same commit and environment again.
    stores, history, git, compose: cachedComposeLoader(compose), engine, secrets, logger, maxConcurrentDeploys: config.maxConcurrentDeploys,
    passEnv: passedEnvironment(config.passEnv), policy: policySettings(config), notifications: config.notifications,
  });
  // A failed stack retries as soon as the engine answers again, not at the end of its backoff.
  const availability = new EngineAvailability(() => engine.ping(), config.dockerDescription, logger, {
    onBack: () => core.supervisor.broadcast({ type: 'RETRY' }),
  });
  // Not awaited: a frozen engine would hold the start for DOCKER_TIMEOUT; /readyz says meanwhile.
  void availability.start();

  // Unfinished deployments of an earlier process are each stack's first job, before anything else.
  core.supervisor.start(await planRecovery({ deployments: stores.deployments, logger }, await stores.stacks.list()));
  // Deliveries a stopped process left pending go out now, each at its next attempt.
  const resumed = await core.notifier.resume();
  if (resumed > 0) logger.info(`resuming ${resumed} pending notification deliveries`);
  history.start();
  await core.removal.pruneMirrors();

  let draining = false;
  const app = createApp({
    ...stores, ...core, logger, containers: engine, resources: engine, database: databaseBackups(config.databasePath),
    apiKeys: new ApiKeyStore(db), audit: new AuditStore(db), bootstrapKey: apiKey, webhookSecret: config.webhookSecret,
    stackWebhookSecret: (stack) => (stack.webhook_secret_sealed ? secrets.decrypt(stack.webhook_secret_sealed) : undefined),
    readiness: { database: () => db.health(), docker: async () => availability.current, draining: () => draining },
  });
  if (!config.webhookSecret) {
    logger.warn('WEBHOOK_SECRET is not set: webhooks of stacks without their own webhook_secret need an operator X-API-KEY');
  }
  front.serve(app.callback());
  logger.info(`Accelero listening on http://0.0.0.0:${front.port} (database ${config.databasePath}, stacks ${config.stacksDataDir})`);

  const shutdown = async (reason: string) => {
    if (draining) return;
    draining = true;
    await stopGracefully(reason, config, logger, front.server, core.supervisor);
    availability.stop();
    history.stop();
    await core.notifier.stop();
    await compose.close();
    await db.close();
    await lock.release();
    logger.info('stopped');
  };
  return { port: front.port, apiKey, shutdown };
}

/** The engine, told which container Accelero runs in (self-protection) and where the host has STACKS_DATA_DIR. */
async function dockerEngine(config: AcceleroConfig, logger: Logger): Promise<DockerEngine> {
  const docker = createDockerClient(config);
  const log = logger.child({ component: 'docker' });
  const container = await checkOwnContainer(docker, config, log);
  const hostPaths = config.hostStacksDataDir ? { inside: config.stacksDataDir, host: config.hostStacksDataDir } : undefined;
  return createDockerEngine(docker, log, { ...container, hostPaths });
}

/** A database that cannot be opened yet (a full disk) is waited for, the reason shown by /readyz. */
function openDatabaseWaiting(config: AcceleroConfig, logger: Logger, front: FrontDoor, signal?: AbortSignal): Promise<Database> {
  const log = logger.child({ component: 'database' });
  const outages = {
    error: (message: string) => { log.error(message); front.setStarting(message); },
    info: (message: string) => log.info(message),
  };
  return openDatabaseWhenPossible(config.databasePath, { logger: outages }, { logger: outages, signal });
}

/** The values of the variables ACCELERO_PASS_ENV names (unset ones are left out). */
function passedEnvironment(names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]])));
}

function policySettings(config: AcceleroConfig): PolicySettings {
  return {
    dataDir: config.dataDir, stacksDataDir: config.stacksDataDir, allowedHostPaths: config.allowedHostPaths,
    dockerSocket: 'socketPath' in config.docker ? config.docker.socketPath : undefined,
    allow: config.policy.allow, allowByStack: config.policy.allowByStack,
  };
}

export function openStores(db: Database, secrets: SecretBox) {
  return {
    stacks: new StackStore(db),
    deployments: new DeploymentStore(db, (d) => {
      const seconds = d.completed_at ? (Date.parse(d.completed_at) - Date.parse(d.started_at)) / 1000 : 0;
      recordDeploymentFinished(d.status, seconds);
    }),
    snapshots: new SnapshotStore(db, secrets),
    transitions: new TransitionStore(db),
    drift: new DriftStore(db),
    stackSecrets: openStackSecretStore(db),
    stackRegistries: openStackRegistryStore(db),
    webhookDeliveries: new WebhookDeliveryStore(db),
    notifications: new NotificationStore(db),
  };
}

export type Stores = ReturnType<typeof openStores>;

/** What the stack actors are built around; tests pass fakes for git, compose and Docker. */
export interface CoreParts {
  stores: Stores;
  history: HistoryPruner;
  git: AcceleroGitSource;
  compose: ComposeLoader;
  engine: DockerEngine;
  secrets: SecretBox;
  logger: Logger;
  maxConcurrentDeploys: number;
  /** The daemon variables compose files may see (ACCELERO_PASS_ENV), with their values. */
  passEnv: Record<string, string>;
  /** What the deploy policy knows of the host and which exceptions the operator allowed. */
  policy: PolicySettings;
  /** How long a DELETE waits for a running deploy to reach a safe point. */
  deleteWaitMs?: number;
  /** Notification retries and the bound on each attempt; tests may pass their own sender. */
  notifications?: { retryDelaysMs: number[]; timeoutMs: number; sender?: NotificationSender };
}

/** The stack actors and what drives them (commands, removal, read-only views), around the stores. */
export function buildCore(parts: CoreParts) {
  const { stores, history, git, compose, engine, secrets, logger, passEnv } = parts;
  const { stacks, deployments, transitions, drift, stackSecrets, stackRegistries } = stores;
  const bus = new EventBus();
  deployments.observeFinished((deployment) => bus.publish(deploymentEnd(deployment)));
  const notifier = notificationDispatcher(parts, bus);
  const notificationChannels = new NotificationChannels({ store: stores.notifications, secrets, dispatcher: notifier });
  const policy = new DeployPolicy(parts.policy, engine);
  const stackConfig = { secrets, stackSecrets, stackRegistries, passEnv, policy };
  const steps = new StackSteps({ ...stores, ...stackConfig, git, compose, engine, bus, logger });
  const inspector = new StackInspector({ ...stackConfig, git, compose, engine, drift, deployments });
  const recorder = new TransitionRecorder(transitions, stacks, bus, logger, (stackId) => history.noteTransition(stackId));
  const supervisor = new Supervisor({
    steps, recorder, logger, slots: new DeploySlots(parts.maxConcurrentDeploys, recordDeploySlotsInUse),
    endDeployment: (end) => deployments.end(end),
    currentInput: async (stackId) => {
      const stack = await stacks.find(stackId);
      if (!stack) return undefined;
      const recovery = { deployments, logger };
      return stackInputFrom(stack, await recoveryOf(recovery, stackId), await approvalOf(recovery, stackId));
    },
  });
  const removal = new StackRemoval({
    stacks, git, engine, logger,
    deleteHistory: async (stackId) => {
      await history.deleteStack(stackId);
      recorder.forget(stackId);
    },
  });
  const commands = new StackCommands({ stacks, deployments, supervisor, secrets, logger, removal, deleteWaitMs: parts.deleteWaitMs });
  const credentials = new StackCredentialCommands({ stacks, stackSecrets, stackRegistries, secrets, supervisor });
  const approvals = new StackApprovals({ commands, deployments, supervisor, logger });
  return { bus, steps, inspector, supervisor, commands, removal, credentials, notifier, notificationChannels, approvals };
}

/** Every deployment's end on the bus, wherever it ended (steps, recovery, the supervisor's endDeployment). */
function deploymentEnd(deployment: DeploymentRecord) {
  return {
    kind: 'deployment_end' as const, stack_id: deployment.stack_id, stack_name: deployment.stack_name, deployment_id: deployment.id,
    status: deployment.status, message: deployment.error_message, git_commit: deployment.git_commit, at: deployment.completed_at ?? new Date().toISOString(),
  };
}

/** The dispatcher listening on the bus; its sends never hold a deploy. */
function notificationDispatcher(parts: CoreParts, bus: EventBus): NotificationDispatcher {
  const settings = parts.notifications ?? { retryDelaysMs: DEFAULT_RETRY_DELAYS_MS, timeoutMs: 10_000 };
  const dispatcher = new NotificationDispatcher({
    store: parts.stores.notifications, secrets: parts.secrets, logger: parts.logger, retry: { delaysMs: settings.retryDelaysMs },
    sender: settings.sender ?? createNotificationSender({ timeoutMs: settings.timeoutMs }),
  });
  dispatcher.attach(bus);
  return dispatcher;
}

/** Stops taking requests, lets in-flight deploys reach a safe point, then stops the actors. */
async function stopGracefully(reason: string, config: AcceleroConfig, logger: Logger, server: Server, supervisor: Supervisor): Promise<void> {
  logger.info(`shutting down (${reason}): no new requests; waiting for in-flight deploys to reach a safe point`);
  // /readyz answers 503 "draining" meanwhile, so a load balancer stops sending traffic first.
  if (config.shutdownDrainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainDelayMs));
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  const deadline = Date.now() + config.shutdownTimeoutMs;
  while (supervisor.busyStacks().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  supervisor.stop();
  server.closeAllConnections();
  await closed;
}

/**
 * The key is printed once, on the start that generates it, and then only in the dashboard URL's
 * fragment (which a browser never sends to the server); later starts print the URL without it.
 */
async function bootstrapApiKey(config: AcceleroConfig, logger: Logger, port: number): Promise<string> {
  const dashboard = `http://localhost:${port}/`;
  if (config.apiKey) {
    logger.info(`dashboard: ${dashboard} (log in with API_KEY)`);
    return config.apiKey;
  }
  const { key, path, created } = await loadOrCreateApiKey(config.dataDir);
  if (created) {
    logger.info(`generated the admin API key ${key} — stored in ${path} (0600); it is not printed again`);
    logger.info(`dashboard: ${dashboard}#key=${key} (the key is in the fragment, which the browser never sends)`);
  } else {
    logger.info(`admin API key: in ${path} (set API_KEY to choose one)`);
    logger.info(`dashboard: ${dashboard} (log in with the key in ${path})`);
  }
  return key;
}

