import { assign, fromCallback, fromPromise, setup } from 'xstate';
import { errorMessage } from '../src/errors.ts';
import { isOperatorRequest, joinCycle, joinsCurrentCycle, keepsApproval, mergeRequests, needsApproval, requestFor, shouldDeploy } from './stack.rules.ts';
import type {
  ApplyInput, ApplyOutput, ApprovalInput, ApprovalOutput, Cycle, DeploymentEnd, FetchInput, FetchOutput, PlanInput, PlanOutput, RestoreJob, RollBackInput,
  SlotInput, StackContext, StackEvent, StackInput, VerifyInput, VerifyOutput,
} from './stack.types.ts';

// The stack machine's vocabulary: its types, the steps it invokes (provided by actors/ with
// `machine.provide({ actors, actions })`; the defaults here fail loudly, or do nothing for
// side effects), its delays, guards and context updates. The chart is stack.machine.ts.

const notProvided = <Output, Input>(name: string) =>
  fromPromise<Output, Input>(async () => {
    throw new Error(`stack machine step ${name} was not provided`);
  });

/** Without a limit every stack may deploy at once; actors/ provides the MAX_CONCURRENT_DEPLOYS slots. */
const unlimitedSlot = fromCallback<StackEvent, SlotInput>(({ sendBack }) => {
  sendBack({ type: 'SLOT.GRANTED' });
});

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 300_000;
/** Timers cannot be "never"; a reconcile interval of 0 parks the timer a day out, guarded off. */
const ON_DEMAND_ONLY_MS = 86_400_000;

/** A step's input needs what earlier steps of the cycle produced; missing data is a bug, said loudly. */
export function cycleWith<K extends keyof Cycle>(context: StackContext, ...keys: K[]): Cycle & Required<Pick<Cycle, K>> {
  const { cycle } = context;
  const missing = keys.find((key) => cycle?.[key] === undefined);
  if (!cycle || missing) throw new Error(`stack ${context.stackName}: the cycle has no ${missing ?? 'request'} yet`);
  return cycle as Cycle & Required<Pick<Cycle, K>>;
}

const reconcileRequest = (context: StackContext) => ({ trigger: 'reconcile' as const, deploy: context.autoDeploy });

export const stackSetup = setup({
  types: {
    context: {} as StackContext,
    events: {} as StackEvent,
    input: {} as StackInput,
  },
  actors: {
    fetchSource: notProvided<FetchOutput, FetchInput>('fetchSource'),
    planChanges: notProvided<PlanOutput, PlanInput>('planChanges'),
    applyPlan: notProvided<ApplyOutput, ApplyInput>('applyPlan'),
    verifyRollout: notProvided<VerifyOutput, VerifyInput>('verifyRollout'),
    rollBack: notProvided<void, RollBackInput>('rollBack'),
    recordApproval: notProvided<ApprovalOutput, ApprovalInput>('recordApproval'),
    holdDeploySlot: unlimitedSlot,
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
    /** A deploy or rollback an operator asked for: the only requests a paused stack runs. */
    hasOperatorRequest: ({ context }) => isOperatorRequest(context.pending),
    restorePending: ({ context }) => context.restore !== null,
    /** A request waits, but a restore comes first. */
    pendingBehindRestore: ({ context }) => context.pending !== null && context.restore !== null,
    deleteRequested: ({ context }) => context.deleteRequested,
    deleteWithoutRestore: ({ context }) => context.deleteRequested && context.restore === null,
    isPaused: ({ context }) => context.paused,
    reconcilesPeriodically: ({ context }) => context.reconcileIntervalMs > 0,
    joinsCurrentCycle: ({ context, event }) => joinsCurrentCycle(context.cycle, event),
    shouldDeploy: ({ context }, output: PlanOutput) => shouldDeploy(context, output),
    needsApproval: ({ context }, output: PlanOutput) => needsApproval(context, output),
    keepsApproval: ({ context }, output: PlanOutput) => keepsApproval(context, output),
    hasApproval: ({ context }) => context.approval !== null,
    /** The event names the plan that waits (an approve or reject of another one changes nothing). */
    isWaitingApproval: ({ context, event }) =>
      (event.type === 'APPROVE' || event.type === 'REJECT') && context.approval?.deploymentId === event.deploymentId,
    /** A paused stack keeps its waiting plan, and runs only what an operator asks for. */
    startsNextCycle: ({ context }) => (context.paused ? isOperatorRequest(context.pending) : context.pending !== null),
    reconcilesUnpaused: ({ context }) => context.reconcileIntervalMs > 0 && !context.paused,
    applied: (_, output: ApplyOutput) => output.outcome.status === 'applied',
    needsRestore: (_, output: ApplyOutput) => {
      const { outcome } = output;
      return outcome.mutated && (outcome.failureAction === 'rollback' || Boolean(outcome.engineFailure));
    },
    engineFailed: (_, output: ApplyOutput) => Boolean(output.outcome.engineFailure),
    verifiedHealthy: (_, output: VerifyOutput) => output.healthy,
  },
  actions: {
    queueRequest: assign(({ context, event }) => {
      const request = requestFor(event, context);
      return request ? { pending: mergeRequests(context.pending, request) } : {};
    }),
    joinCurrentCycle: assign(({ context, event }) => {
      const request = requestFor(event, context);
      if (!request || !context.cycle) return {};
      const cycle = joinCycle(context.cycle, request);
      return { cycle, deploymentId: cycle.request.deploymentId ?? context.deploymentId };
    }),
    startPendingCycle: assign(({ context }) => ({
      cycle: context.pending ? { request: context.pending } : null,
      pending: null,
      deploymentId: context.pending?.deploymentId ?? null,
    })),
    startReconcileCycle: assign(({ context }) => ({ cycle: { request: reconcileRequest(context) }, deploymentId: null })),
    applySettings: assign(({ event }) => (event.type === 'STACK_UPDATED' ? { ...event.settings } : {})),
    /** A paused stack keeps no automatic request (push, timer) waiting for later. */
    dropAutomaticRequest: assign(({ context }) => (isOperatorRequest(context.pending) ? {} : { pending: null })),
    markDeleteRequested: assign({ deleteRequested: true }),
    markPaused: assign({ paused: true }),
    markResumed: assign({ paused: false }),
    recordFetch: assign(({ context }, output: FetchOutput) => ({
      cycle: { ...cycleWith(context), stack: output.stack, revision: output.revision, pinnedImageIds: output.pinnedImageIds },
      commit: output.revision.commit,
    })),
    recordPlan: assign(({ context }, output: PlanOutput) => ({
      cycle: { ...cycleWith(context), project: output.project, plan: output.plan },
      syncStatus: output.syncStatus,
      healthStatus: output.healthStatus,
      driftDigest: output.driftDigest,
    })),
    /** Side effect provided by actors/: ends a deployment its cycle did not deploy, or whose failure stays as it is. */
    endDeployment: (_, _settled: DeploymentEnd | undefined) => {},
    recordApply: assign(({ context }, output: ApplyOutput) => ({
      cycle: { ...cycleWith(context), outcome: output.outcome },
      deploymentId: output.deploymentId,
      healthStatus: 'progressing' as const,
      lastError: output.outcome.error ?? context.lastError,
    })),
    planRestore: assign((_, restore: RestoreJob) => ({ restore })),
    recordDeployFailure: assign(({ context }, output: ApplyOutput) => ({
      failedCommit: output.outcome.engineFailure ? context.failedCommit : context.commit,
      syncStatus: 'out_of_sync' as const,
      healthStatus: output.outcome.mutated ? ('degraded' as const) : context.healthStatus,
      cycle: null,
    })),
    recordVerifyFailure: assign((_, output: VerifyOutput) => ({ lastError: output.error ?? 'verification failed' })),
    // A rollback the operator asked for pins the stack (auto-deploy paused) until RESUME,
    // whatever the outcome; otherwise the next reconcile would deploy git's head again.
    pinAfterOperatorRollback: assign(({ context }) => ({
      paused: context.paused || context.cycle?.request.trigger === 'rollback',
    })),
    recordSuccess: assign({
      syncStatus: 'synced', healthStatus: 'healthy', lastError: null, failures: 0, cycle: null, failedCommit: null,
    }),
    endQuietCycle: assign({ failures: 0, cycle: null, lastError: null }),
    recordRollback: assign(({ context }) => ({
      failedCommit: context.restore?.blameRelease ? context.commit : context.failedCommit,
      syncStatus: 'out_of_sync' as const,
      healthStatus: 'healthy' as const,
      restore: null,
      cycle: null,
    })),
    recordStepError: assign((_, params: { error: unknown }) => ({ lastError: errorMessage(params.error) })),
    recordFailure: assign(({ context }, params: { error: unknown }) => ({
      lastError: errorMessage(params.error),
      failures: context.failures + 1,
      syncStatus: 'unknown' as const,
      healthStatus: context.restore ? ('degraded' as const) : context.healthStatus,
      cycle: null,
    })),
    recordApproval: assign((_, output: ApprovalOutput) => ({
      approval: output.approval, deploymentId: output.approval.deploymentId, cycle: null, failures: 0, lastError: null,
    })),
    /** Approved: the same commit is diffed again and deployed, under the same deployment. */
    startApprovedCycle: assign(({ context }) => {
      const approval = context.approval!;
      const request = { trigger: approval.trigger, deploy: true, deploymentId: approval.deploymentId, approvedCommit: approval.commit };
      return { cycle: { request }, deploymentId: approval.deploymentId, approval: null };
    }),
    dropApproval: assign({ approval: null }),
    /** While a plan waits, the stack's deployment (GET …/state) is the one waiting. */
    showApproval: assign(({ context }) => ({ deploymentId: context.approval?.deploymentId ?? context.deploymentId })),
    retryAfterBackoff: assign(({ context }) => ({ cycle: { request: reconcileRequest(context) }, deploymentId: null })),
  },
});
