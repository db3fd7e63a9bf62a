import { assign, fromPromise, setup } from 'xstate';
import { errorMessage } from '../src/errors.ts';
import type {
  ApplyOutput, CycleRequest, DiffOutput, FetchOutput, RollBackOutput, StackContext, StackEvent, StackInput,
  VerifyOutput,
} from './stack.types.ts';

// The stack machine: pure. The I/O steps are named invoked actors that `actors/` provides with
// `machine.provide({ actors })`; the defaults below only fail loudly, so the machine can be
// unit-tested with fakes and rendered without a Docker engine or a git server.

/** Input every invoked step receives: who, which cycle, what is known so far. */
export interface StepInput {
  stackId: string;
  stackName: string;
  cycle: CycleRequest;
  commit: string | null;
  deploymentId: string | null;
}

const notProvided = (name: string) =>
  fromPromise<never, StepInput>(async () => {
    throw new Error(`stack machine step ${name} was not provided`);
  });

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 300_000;
/** Timers cannot be "never"; a reconcile interval of 0 parks the timer a day out, guarded off. */
const ON_DEMAND_ONLY_MS = 86_400_000;

/** Trigger precedence when requests are merged: an explicit rollback wins over a deploy, etc. */
const triggerRank = { reconcile: 0, webhook: 1, manual: 2, rollback: 3 } as const;

export function mergeRequests(waiting: CycleRequest | null, incoming: CycleRequest): CycleRequest {
  if (!waiting) return incoming;
  const stronger = triggerRank[incoming.trigger] >= triggerRank[waiting.trigger] ? incoming : waiting;
  return {
    ...stronger,
    deploy: waiting.deploy || incoming.deploy,
    deploymentId: stronger.deploymentId ?? waiting.deploymentId ?? incoming.deploymentId,
  };
}

export function requestFor(event: StackEvent, context: Pick<StackContext, 'autoDeploy'>): CycleRequest | null {
  switch (event.type) {
    case 'DEPLOY':
      return { trigger: 'manual', deploy: true, deploymentId: event.deploymentId };
    case 'WEBHOOK_PUSH':
      return { trigger: 'webhook', deploy: context.autoDeploy, deploymentId: event.deploymentId };
    case 'SYNC':
    case 'STACK_UPDATED':
      return { trigger: 'reconcile', deploy: context.autoDeploy };
    case 'ROLLBACK':
      return { trigger: 'rollback', deploy: true, deploymentId: event.deploymentId, rollbackTo: event.rollbackTo };
    default:
      return null;
  }
}

const stepInput = ({ context }: { context: StackContext }): StepInput => ({
  stackId: context.stackId,
  stackName: context.stackName,
  cycle: context.current ?? { trigger: 'reconcile', deploy: false },
  commit: context.commit,
  deploymentId: context.deploymentId,
});

export const stackMachine = setup({
  types: {
    context: {} as StackContext,
    events: {} as StackEvent,
    input: {} as StackInput,
  },
  actors: {
    fetchSource: notProvided('fetchSource') as unknown as ReturnType<typeof fromPromise<FetchOutput, StepInput>>,
    planChanges: notProvided('planChanges') as unknown as ReturnType<typeof fromPromise<DiffOutput, StepInput>>,
    applyPlan: notProvided('applyPlan') as unknown as ReturnType<typeof fromPromise<ApplyOutput, StepInput>>,
    verifyRollout: notProvided('verifyRollout') as unknown as ReturnType<typeof fromPromise<VerifyOutput, StepInput>>,
    rollBack: notProvided('rollBack') as unknown as ReturnType<typeof fromPromise<RollBackOutput, StepInput>>,
  },
  delays: {
    reconcileDelay: ({ context }) => {
      if (context.reconcileIntervalMs <= 0) return ON_DEMAND_ONLY_MS;
      // ±10% jitter so stacks created together do not reconcile in lockstep.
      return Math.round(context.reconcileIntervalMs * (0.9 + Math.random() * 0.2));
    },
    backoffDelay: ({ context }) =>
      Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, context.failures - 1)),
  },
  guards: {
    hasPending: ({ context }) => context.pending !== null,
    deleteRequested: ({ context }) => context.deleteRequested,
    isPaused: ({ context }) => context.paused,
    reconcilesPeriodically: ({ context }) => context.reconcileIntervalMs > 0,
    shouldDeploy: ({ context, event }) => {
      const output = (event as unknown as { output: DiffOutput }).output;
      const cycle = context.current;
      if (!output.hasChanges || !cycle) return false;
      if (cycle.deploy && cycle.trigger !== 'reconcile' && cycle.trigger !== 'webhook') return true;
      // Automatic deploys never retry a commit that was already rolled back.
      return context.autoDeploy && context.commit !== context.failedCommit;
    },
    applied: ({ event }) => (event as unknown as { output: ApplyOutput }).output.result === 'applied',
    verifiedHealthy: ({ event }) => (event as unknown as { output: VerifyOutput }).output.healthy,
  },
  actions: {
    queueRequest: assign({
      pending: ({ context, event }) => {
        const request = requestFor(event, context);
        return request ? mergeRequests(context.pending, request) : context.pending;
      },
    }),
    startPendingCycle: assign({
      current: ({ context }) => context.pending,
      pending: () => null,
      deploymentId: ({ context }) => context.pending?.deploymentId ?? null,
    }),
    startReconcileCycle: assign({
      current: ({ context }) => ({ trigger: 'reconcile' as const, deploy: context.autoDeploy }),
      deploymentId: () => null,
    }),
    applySettings: assign(({ event, context }) =>
      event.type === 'STACK_UPDATED' ? { ...event.settings } : { autoDeploy: context.autoDeploy }),
    markDeleteRequested: assign({ deleteRequested: () => true }),
    markPaused: assign({ paused: () => true }),
    markResumed: assign({ paused: () => false }),
    recordFetch: assign({ commit: ({ event }) => (event as unknown as { output: FetchOutput }).output.commit }),
    recordDiff: assign(({ event }) => {
      const output = (event as unknown as { output: DiffOutput }).output;
      return { syncStatus: output.syncStatus, healthStatus: output.healthStatus };
    }),
    recordApply: assign({
      deploymentId: ({ event }) => (event as unknown as { output: ApplyOutput }).output.deploymentId,
      healthStatus: () => 'progressing' as const,
      lastError: ({ event, context }) => (event as unknown as { output: ApplyOutput }).output.error ?? context.lastError,
    }),
    recordVerifyFailure: assign({
      lastError: ({ event }) => (event as unknown as { output: VerifyOutput }).output.error ?? 'verification failed',
    }),
    // A rollback the operator asked for pins the stack (auto-deploy paused) until RESUME,
    // whatever the outcome; otherwise the next reconcile would deploy git's head again.
    pinAfterOperatorRollback: assign({
      paused: ({ context }) => context.paused || context.current?.trigger === 'rollback',
    }),
    recordSuccess: assign({
      syncStatus: () => 'synced' as const,
      healthStatus: () => 'healthy' as const,
      lastError: () => null,
      failures: () => 0,
      current: () => null,
      failedCommit: () => null,
    }),
    recordQuietCycle: assign({ failures: () => 0, current: () => null, lastError: () => null }),
    recordRollback: assign({
      failedCommit: ({ context }) => context.commit,
      syncStatus: () => 'out_of_sync' as const,
      healthStatus: ({ event }) =>
        (event as unknown as { output: RollBackOutput }).output.restored ? ('healthy' as const) : ('degraded' as const),
      current: () => null,
    }),
    recordStepError: assign({
      lastError: ({ event }) => errorMessage((event as unknown as { error: unknown }).error),
    }),
    recordFailure: assign({
      lastError: ({ event }) => errorMessage((event as unknown as { error: unknown }).error),
      failures: ({ context }) => context.failures + 1,
      syncStatus: () => 'unknown' as const,
      current: () => null,
    }),
    retryAfterBackoff: assign({
      current: ({ context }) => ({ trigger: 'reconcile' as const, deploy: context.autoDeploy }),
    }),
    releaseDeploySlot: () => {},
  },
}).createMachine({
  id: 'stack',
  context: ({ input }) => ({
    ...input,
    current: null,
    pending: null,
    deploymentId: null,
    syncStatus: 'unknown',
    healthStatus: 'unknown',
    lastError: null,
    failures: 0,
    deleteRequested: false,
  }),
  initial: 'idle',
  on: {
    DELETE: { actions: 'markDeleteRequested' },
    PAUSE: { actions: 'markPaused' },
    RESUME: { actions: 'markResumed' },
    DEPLOY: { actions: 'queueRequest' },
    WEBHOOK_PUSH: { actions: 'queueRequest' },
    SYNC: { actions: 'queueRequest' },
    ROLLBACK: { actions: 'queueRequest' },
    STACK_UPDATED: { actions: ['applySettings', 'queueRequest'] },
  },
  states: {
    idle: {
      entry: 'releaseDeploySlot',
      always: [
        { guard: 'deleteRequested', target: 'deleted' },
        { guard: 'hasPending', target: 'fetching', actions: 'startPendingCycle' },
        { guard: 'isPaused', target: 'paused' },
      ],
      on: {
        DELETE: { target: 'deleted' },
        PAUSE: { target: 'paused', actions: 'markPaused' },
      },
      after: {
        reconcileDelay: { guard: 'reconcilesPeriodically', target: 'fetching', actions: 'startReconcileCycle' },
      },
    },
    fetching: {
      invoke: {
        src: 'fetchSource',
        input: stepInput,
        onDone: { target: 'diffing', actions: 'recordFetch' },
        onError: { target: 'failed', actions: 'recordFailure' },
      },
    },
    diffing: {
      invoke: {
        src: 'planChanges',
        input: stepInput,
        onDone: [
          { guard: 'shouldDeploy', target: 'deploying', actions: 'recordDiff' },
          { target: 'idle', actions: ['recordDiff', 'pinAfterOperatorRollback', 'recordQuietCycle'] },
        ],
        onError: { target: 'failed', actions: 'recordFailure' },
      },
    },
    deploying: {
      invoke: {
        src: 'applyPlan',
        input: stepInput,
        onDone: [
          { guard: 'applied', target: 'verifying', actions: 'recordApply' },
          { target: 'rolling_back', actions: 'recordApply' },
        ],
        onError: { target: 'failed', actions: 'recordFailure' },
      },
    },
    verifying: {
      invoke: {
        src: 'verifyRollout',
        input: stepInput,
        onDone: [
          { guard: 'verifiedHealthy', target: 'idle', actions: ['pinAfterOperatorRollback', 'recordSuccess'] },
          { target: 'rolling_back', actions: 'recordVerifyFailure' },
        ],
        // The cycle goes on (into rolling_back), so only the error is noted here.
        onError: { target: 'rolling_back', actions: 'recordStepError' },
      },
    },
    rolling_back: {
      invoke: {
        src: 'rollBack',
        input: stepInput,
        onDone: { target: 'idle', actions: ['pinAfterOperatorRollback', 'recordRollback'] },
        onError: { target: 'failed', actions: 'recordFailure' },
      },
    },
    failed: {
      entry: 'releaseDeploySlot',
      always: [
        { guard: 'deleteRequested', target: 'deleted' },
        { guard: 'hasPending', target: 'fetching', actions: 'startPendingCycle' },
      ],
      on: {
        DELETE: { target: 'deleted' },
        PAUSE: { target: 'paused', actions: 'markPaused' },
      },
      after: {
        backoffDelay: { target: 'fetching', actions: 'retryAfterBackoff' },
      },
    },
    paused: {
      always: [
        { guard: 'deleteRequested', target: 'deleted' },
        { guard: 'hasPending', target: 'fetching', actions: 'startPendingCycle' },
      ],
      on: {
        RESUME: { target: 'idle', actions: 'markResumed' },
        DELETE: { target: 'deleted' },
        // While paused only explicit operator requests run; pushes and timers wait for RESUME.
        WEBHOOK_PUSH: {},
        SYNC: {},
      },
    },
    deleted: {
      entry: 'releaseDeploySlot',
      type: 'final',
    },
  },
});

export type StackMachine = typeof stackMachine;
