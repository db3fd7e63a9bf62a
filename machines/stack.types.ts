// Plain data that flows through the stack machine. The machine imports no I/O library; the
// seam types it carries (SourceRevision, ComposeProject, Plan, ApplyResult, the stack row)
// are plain serialisable data defined by the adapters, imported as types only.

import type { ComposeProject } from '../src/compose/types.ts';
import type { ApplyResult, Plan } from '../src/docker/types.ts';
import type { SourceRevision } from '../src/git/types.ts';
import type { StackRecord } from '../persistence/entities/records.ts';

export type CycleTrigger = 'manual' | 'webhook' | 'reconcile' | 'rollback';

/** One unit of work for the stack: fetch, diff and (maybe) deploy. */
export interface CycleRequest {
  trigger: CycleTrigger;
  /** True when the operator asked to deploy; otherwise auto_deploy decides. */
  deploy: boolean;
  /** A deployment row already promised for this request (the API answered with its id). */
  deploymentId?: string;
  /** For rollbacks: the deployment whose commit and image ids are redeployed. */
  rollbackTo?: string;
  /** An approved plan: this commit (not the branch's head) is diffed again and deployed. */
  approvedCommit?: string;
}

/** A planned deploy that waits for an operator's approve or reject (requires_approval). */
export interface PendingApproval {
  deploymentId: string;
  commit: string;
  trigger: CycleTrigger;
}

/** What one cycle learns, step by step: each step's output is the next step's input. */
export interface Cycle {
  request: CycleRequest;
  /** The stack row, read once per cycle (by fetchSource). */
  stack?: StackRecord;
  revision?: SourceRevision;
  /** A rollback cycle's target image ids (diffed against, then deployed). */
  pinnedImageIds?: Record<string, string>;
  project?: ComposeProject;
  plan?: Plan;
  outcome?: ApplyResult;
}

/** A deployment whose persisted snapshots still have to be restored. */
export interface RestoreJob {
  deploymentId: string;
  /** How the deployment ends once restored: `rolled_back`, or `interrupted` after a crash. */
  status: 'rolled_back' | 'interrupted';
  reason: string;
  /** The release failed (not the engine): auto-deploy leaves its commit alone afterwards. */
  blameRelease: boolean;
}

/** The states an operator sees (API `state`); `rollout` and its inner states are how they are built. */
export const STACK_STATES = ['idle', 'fetching', 'diffing', 'awaiting_approval', 'deploying', 'verifying', 'rolling_back', 'failed', 'paused', 'deleted'] as const;
export type StackState = (typeof STACK_STATES)[number];

/** States in which a stack is working on a cycle; the others (idle, failed, paused) are rests. */
export const BUSY_STATES: readonly StackState[] = ['fetching', 'diffing', 'deploying', 'verifying', 'rolling_back'];

export type SyncStatus = 'synced' | 'out_of_sync' | 'unknown';
export type HealthStatus = 'healthy' | 'progressing' | 'degraded' | 'missing' | 'unknown';

export interface StackSettings {
  autoDeploy: boolean;
  /** 0 = reconcile only on demand. */
  reconcileIntervalMs: number;
  /** A planned deploy waits in awaiting_approval for an operator (rollbacks are never gated). */
  requiresApproval: boolean;
}

export interface FetchInput { stackId: string; request: CycleRequest }
export interface FetchOutput { stack: StackRecord; revision: SourceRevision; pinnedImageIds?: Record<string, string> }

export interface PlanInput {
  stack: StackRecord;
  revision: SourceRevision;
  request: CycleRequest;
  pinnedImageIds?: Record<string, string>;
  /** Digest of the drift this stack last recorded: unchanged drift is not written again. */
  driftDigest: string | null;
}
export interface PlanOutput {
  project: ComposeProject;
  plan: Plan;
  syncStatus: SyncStatus;
  healthStatus: HealthStatus;
  driftDigest: string;
}

export interface ApplyInput {
  stack: StackRecord;
  revision: SourceRevision;
  project: ComposeProject;
  plan: Plan;
  request: CycleRequest;
  pinnedImageIds?: Record<string, string>;
}
export interface ApplyOutput { deploymentId: string; outcome: ApplyResult }

export interface VerifyInput { stack: StackRecord; project: ComposeProject; deploymentId: string; commit: string; outcome: ApplyResult }
export interface VerifyOutput { healthy: boolean; error?: string }

export interface RollBackInput { stackId: string; stackName: string; restore: RestoreJob }

export interface SlotInput { stackId: string }

export interface ApprovalInput {
  stack: StackRecord;
  commit: string;
  plan: Plan;
  request: CycleRequest;
  /** The approval this plan replaces: it ends skipped, naming the new one. */
  replaces: PendingApproval | null;
}
export interface ApprovalOutput { approval: PendingApproval }

/** How a deployment ends without verification or restore: nothing deployed, or a failure left as it is. */
export interface DeploymentEnd {
  deploymentId: string;
  status: 'completed' | 'skipped' | 'failed' | 'rejected';
  message: string;
  commit: string | null;
}

export interface StackContext extends StackSettings {
  stackId: string;
  stackName: string;
  paused: boolean;
  /** The cycle being worked on, with what its steps learned so far. */
  cycle: Cycle | null;
  /** At most one waiting cycle: requests that arrive while busy are merged into it. */
  pending: CycleRequest | null;
  /** The commit the last fetch resolved. */
  commit: string | null;
  /** A commit whose deploy failed and was rolled back; auto-deploy leaves it alone. */
  failedCommit: string | null;
  deploymentId: string | null;
  /** Snapshots that still have to be restored (a rollback the engine interrupted, a crash). */
  restore: RestoreJob | null;
  driftDigest: string | null;
  syncStatus: SyncStatus;
  healthStatus: HealthStatus;
  lastError: string | null;
  /** Consecutive failed cycles, for the exponential backoff of `failed`. */
  failures: number;
  deleteRequested: boolean;
  /** The plan waiting for approval, kept while a newer cycle looks at git. */
  approval: PendingApproval | null;
}

export type StackEvent =
  | { type: 'DEPLOY'; deploymentId?: string }
  | { type: 'SYNC' }
  | { type: 'WEBHOOK_PUSH'; deploymentId?: string }
  | { type: 'ROLLBACK'; deploymentId?: string; rollbackTo?: string }
  | { type: 'STACK_UPDATED'; settings: StackSettings }
  | { type: 'PAUSE' }
  | { type: 'RESUME' }
  | { type: 'DELETE' }
  /** The engine answers again: a failed stack retries now instead of at the end of its backoff. */
  | { type: 'RETRY' }
  /** Sent by the deploy-slot actor once this stack may deploy. */
  | { type: 'SLOT.GRANTED' }
  /** An operator approved the waiting plan: its commit is deployed. */
  | { type: 'APPROVE'; deploymentId: string }
  /** An operator rejected the waiting plan (the row is ended by the caller). */
  | { type: 'REJECT'; deploymentId: string };

export interface StackInput extends StackSettings {
  stackId: string;
  stackName: string;
  paused: boolean;
  commit: string | null;
  failedCommit: string | null;
  /** An unfinished deployment a previous process left behind: restored before anything else. */
  restore?: RestoreJob | null;
  /** A plan a previous process left awaiting approval: it keeps waiting. */
  approval?: PendingApproval | null;
}
