// Plain data that flows through the stack machine. No I/O types: the machine stays pure, and
// the actors that do the work (actors/) translate these to and from the adapters' seams.

export type CycleTrigger = 'manual' | 'webhook' | 'reconcile' | 'rollback';

/** One unit of work for the stack: fetch, diff and (maybe) deploy. */
export interface CycleRequest {
  trigger: CycleTrigger;
  /** True when the operator asked to deploy; otherwise auto_deploy decides. */
  deploy: boolean;
  /** A deployment row already created for this request (API answers with its id). */
  deploymentId?: string;
  /** For rollbacks: the deployment whose commit and image ids are redeployed. */
  rollbackTo?: string;
}

/** States in which a stack is working on a cycle; the others (idle, failed, paused) are rests. */
export const BUSY_STATES: readonly string[] = ['fetching', 'diffing', 'deploying', 'verifying', 'rolling_back'];

export type SyncStatus = 'synced' | 'out_of_sync' | 'unknown';
export type HealthStatus = 'healthy' | 'progressing' | 'degraded' | 'missing' | 'unknown';

export interface StackSettings {
  autoDeploy: boolean;
  /** 0 = reconcile only on demand. */
  reconcileIntervalMs: number;
}

export interface FetchOutput {
  commit: string;
  /** True when git did not move since the last fetch. */
  unchanged: boolean;
}

export interface DiffOutput {
  hasChanges: boolean;
  syncStatus: SyncStatus;
  healthStatus: HealthStatus;
  /** Number of planned actions other than `none`. */
  changeCount: number;
}

export interface ApplyOutput {
  deploymentId: string;
  /** `applied`: every step done, verify next; `failed`: something failed, roll back next. */
  result: 'applied' | 'failed';
  error?: string;
}

export interface VerifyOutput {
  healthy: boolean;
  error?: string;
}

export interface RollBackOutput {
  restored: boolean;
  error?: string;
}

export interface StackContext extends StackSettings {
  stackId: string;
  stackName: string;
  paused: boolean;
  /** The cycle being worked on. */
  current: CycleRequest | null;
  /** At most one waiting cycle: requests that arrive while busy are merged into it. */
  pending: CycleRequest | null;
  commit: string | null;
  /** A commit whose deploy failed and was rolled back; auto-deploy leaves it alone. */
  failedCommit: string | null;
  deploymentId: string | null;
  syncStatus: SyncStatus;
  healthStatus: HealthStatus;
  lastError: string | null;
  /** Consecutive failed cycles, for the exponential backoff of `failed`. */
  failures: number;
  deleteRequested: boolean;
}

export type StackEvent =
  | { type: 'DEPLOY'; deploymentId?: string }
  | { type: 'SYNC' }
  | { type: 'WEBHOOK_PUSH'; deploymentId?: string }
  | { type: 'ROLLBACK'; deploymentId?: string; rollbackTo?: string }
  | { type: 'STACK_UPDATED'; settings: StackSettings }
  | { type: 'PAUSE' }
  | { type: 'RESUME' }
  | { type: 'DELETE' };

export interface StackInput extends StackSettings {
  stackId: string;
  stackName: string;
  paused: boolean;
  commit: string | null;
  failedCommit: string | null;
}
