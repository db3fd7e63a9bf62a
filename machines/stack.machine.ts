import { errorMessage } from '../src/errors.ts';
import { stackSetup, cycleWith } from './stack.setup.ts';
import {
  approvalDeleted, coalesced, failedEnd, replacedApproval, requestFailed, requestFor, restoreAfter, restoreAfterApply, settlementOf, skippedWhilePaused,
} from './stack.rules.ts';
import type { StackContext } from './stack.types.ts';

// The stack machine: pure. Each step's output goes into `context.cycle` and from there into the
// next step's input. The deploy slot is held by an actor invoked in `rollout` (deploying,
// verifying, rolling_back): leaving those states releases it, whichever way they are left.
// Operators see the states of STACK_STATES; `rollout` and the inner states of `deploying` are
// how they are built (publicState maps a snapshot to its public name).

type StepError = { context: StackContext; event: { error: unknown } };

/** A step failed before anything was deployed: the cycle ends in `failed`, its promised deployment with it. */
const failCycle = {
  target: '#stack.failed',
  actions: [
    { type: 'endDeployment', params: ({ context, event }: StepError) => requestFailed(context, event.error) },
    { type: 'recordFailure', params: ({ event }: StepError) => ({ error: event.error }) },
  ],
} as const;

/** While fetching or diffing, an operator's deploy joins the cycle under way; anything else queues. */
const joinOrQueue = [
  { guard: 'joinsCurrentCycle', actions: 'joinCurrentCycle' },
  { actions: [{ type: 'endDeployment', params: coalesced }, 'queueRequest'] },
] as const;

export const stackMachine = stackSetup.createMachine({
  id: 'stack',
  context: ({ input }) => ({
    ...input,
    restore: input.restore ?? null,
    cycle: null,
    pending: null,
    deploymentId: input.restore?.deploymentId ?? null,
    driftDigest: null,
    syncStatus: 'unknown',
    healthStatus: 'unknown',
    lastError: null,
    failures: 0,
    deleteRequested: false,
    approval: input.approval ?? null,
  }),
  initial: 'idle',
  on: {
    DELETE: { actions: 'markDeleteRequested' },
    PAUSE: { actions: 'markPaused' },
    RESUME: { actions: 'markResumed' },
    DEPLOY: { actions: [{ type: 'endDeployment', params: coalesced }, 'queueRequest'] },
    WEBHOOK_PUSH: { actions: [{ type: 'endDeployment', params: coalesced }, 'queueRequest'] },
    SYNC: { actions: 'queueRequest' },
    ROLLBACK: { actions: [{ type: 'endDeployment', params: coalesced }, 'queueRequest'] },
    STACK_UPDATED: { actions: ['applySettings', 'queueRequest'] },
  },
  states: {
    idle: {
      always: [
        { guard: 'restorePending', target: '#stack.rollout.rolling_back' },
        // A plan left waiting (after a restart) waits again, paused or not.
        { guard: 'hasApproval', target: 'awaiting_approval.waiting' },
        { guard: 'deleteRequested', target: 'deleted' },
        // Paused comes before a waiting request: only an operator's request runs (from paused).
        { guard: 'isPaused', target: 'paused' },
        { guard: 'hasPending', target: 'fetching', actions: 'startPendingCycle' },
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
      on: { DEPLOY: joinOrQueue },
      invoke: {
        src: 'fetchSource',
        input: ({ context }) => ({ stackId: context.stackId, request: cycleWith(context).request }),
        onDone: { target: 'diffing', actions: { type: 'recordFetch', params: ({ event }) => event.output } },
        onError: failCycle,
      },
    },
    diffing: {
      on: { DEPLOY: joinOrQueue },
      invoke: {
        src: 'planChanges',
        input: ({ context }) => {
          const cycle = cycleWith(context, 'stack', 'revision');
          return { stack: cycle.stack, revision: cycle.revision, request: cycle.request, pinnedImageIds: cycle.pinnedImageIds, driftDigest: context.driftDigest };
        },
        onDone: [
          {
            guard: { type: 'keepsApproval', params: ({ event }) => event.output },
            target: 'awaiting_approval.waiting',
            actions: [
              { type: 'recordPlan', params: ({ event }) => event.output },
              { type: 'endDeployment', params: ({ context, event }) => settlementOf(context, event.output.plan.hasChanges) },
              'endQuietCycle',
            ],
          },
          {
            guard: { type: 'needsApproval', params: ({ event }) => event.output },
            target: 'awaiting_approval',
            actions: { type: 'recordPlan', params: ({ event }) => event.output },
          },
          {
            guard: { type: 'shouldDeploy', params: ({ event }) => event.output },
            target: 'rollout',
            actions: [
              { type: 'recordPlan', params: ({ event }) => event.output },
              { type: 'endDeployment', params: ({ context }) => replacedApproval(context) },
              'dropApproval',
            ],
          },
          {
            target: 'idle',
            actions: [
              { type: 'recordPlan', params: ({ event }) => event.output },
              { type: 'endDeployment', params: ({ context, event }) => settlementOf(context, event.output.plan.hasChanges) },
              'pinAfterOperatorRollback',
              'endQuietCycle',
            ],
          },
        ],
        onError: failCycle,
      },
    },
    // requires_approval: the plan is recorded on its deployment row, then waits for an
    // operator. Cycles still run meanwhile (timers, pushes, deploys); see keepsApproval.
    awaiting_approval: {
      initial: 'recording',
      states: {
        recording: {
          invoke: {
            src: 'recordApproval',
            input: ({ context }) => {
              const { stack, plan, request } = cycleWith(context, 'stack', 'plan');
              return { stack, plan, request, commit: context.commit!, replaces: context.approval };
            },
            onDone: { target: 'waiting', actions: { type: 'recordApproval', params: ({ event }) => event.output } },
            onError: failCycle,
          },
        },
        waiting: {
          entry: 'showApproval',
          always: [
            { guard: 'deleteRequested', target: '#stack.deleted', actions: { type: 'endDeployment', params: ({ context }) => approvalDeleted(context) } },
            { guard: 'startsNextCycle', target: '#stack.fetching', actions: 'startPendingCycle' },
          ],
          on: {
            APPROVE: { guard: 'isWaitingApproval', target: '#stack.fetching', actions: 'startApprovedCycle' },
            REJECT: { guard: 'isWaitingApproval', target: '#stack.idle', actions: 'dropApproval' },
            DELETE: { target: '#stack.deleted', actions: { type: 'endDeployment', params: ({ context }) => approvalDeleted(context) } },
            // Paused, it keeps waiting: pushes are skipped and timers wait for RESUME, as in `paused`.
            WEBHOOK_PUSH: { guard: 'isPaused', actions: { type: 'endDeployment', params: ({ context, event }) => skippedWhilePaused(requestFor(event, context)) } },
            SYNC: { guard: 'isPaused' },
            STACK_UPDATED: { guard: 'isPaused', actions: 'applySettings' },
          },
          after: {
            reconcileDelay: { guard: 'reconcilesUnpaused', target: '#stack.fetching', actions: 'startReconcileCycle' },
          },
        },
      },
    },
    rollout: {
      invoke: { src: 'holdDeploySlot', input: ({ context }) => ({ stackId: context.stackId }) },
      initial: 'deploying',
      states: {
        deploying: {
          initial: 'waiting_for_slot',
          states: {
            waiting_for_slot: { on: { 'SLOT.GRANTED': 'applying' } },
            applying: {
              invoke: {
                src: 'applyPlan',
                input: ({ context }) => {
                  const cycle = cycleWith(context, 'stack', 'revision', 'project', 'plan');
                  const { stack, revision, project, plan, request, pinnedImageIds } = cycle;
                  return { stack, revision, project, plan, request, pinnedImageIds };
                },
                onDone: [
                  {
                    guard: { type: 'applied', params: ({ event }) => event.output },
                    target: '#stack.rollout.verifying',
                    actions: { type: 'recordApply', params: ({ event }) => event.output },
                  },
                  {
                    guard: { type: 'needsRestore', params: ({ event }) => event.output },
                    target: '#stack.rollout.rolling_back',
                    actions: [
                      { type: 'recordApply', params: ({ event }) => event.output },
                      { type: 'planRestore', params: ({ event }) => restoreAfterApply(event.output) },
                    ],
                  },
                  {
                    guard: { type: 'engineFailed', params: ({ event }) => event.output },
                    target: '#stack.failed',
                    actions: [
                      { type: 'recordApply', params: ({ event }) => event.output },
                      { type: 'endDeployment', params: ({ context, event }) => failedEnd(context, event.output) },
                      { type: 'recordFailure', params: ({ event }) => ({ error: event.output.outcome.error ?? 'the Docker engine failed' }) },
                    ],
                  },
                  {
                    target: '#stack.idle',
                    actions: [
                      { type: 'recordApply', params: ({ event }) => event.output },
                      { type: 'endDeployment', params: ({ context, event }) => failedEnd(context, event.output) },
                      { type: 'recordDeployFailure', params: ({ event }) => event.output },
                    ],
                  },
                ],
                onError: failCycle,
              },
            },
          },
        },
        verifying: {
          invoke: {
            src: 'verifyRollout',
            input: ({ context }) => {
              const cycle = cycleWith(context, 'stack', 'project', 'outcome');
              return { stack: cycle.stack, project: cycle.project, outcome: cycle.outcome, deploymentId: context.deploymentId!, commit: context.commit! };
            },
            onDone: [
              {
                guard: { type: 'verifiedHealthy', params: ({ event }) => event.output },
                target: '#stack.idle',
                actions: ['pinAfterOperatorRollback', 'recordSuccess'],
              },
              {
                target: 'rolling_back',
                actions: [
                  { type: 'recordVerifyFailure', params: ({ event }) => event.output },
                  { type: 'planRestore', params: ({ context, event }) => restoreAfter(context, event.output.error ?? 'verification failed', true) },
                ],
              },
            ],
            // The engine failed while verifying: restore, without blaming the release.
            onError: {
              target: 'rolling_back',
              actions: [
                { type: 'recordStepError', params: ({ event }) => ({ error: event.error }) },
                { type: 'planRestore', params: ({ context, event }) => restoreAfter(context, errorMessage(event.error), false) },
              ],
            },
          },
        },
        rolling_back: {
          invoke: {
            src: 'rollBack',
            input: ({ context }) => ({ stackId: context.stackId, stackName: context.stackName, restore: context.restore! }),
            onDone: { target: '#stack.idle', actions: ['pinAfterOperatorRollback', 'recordRollback'] },
            // The restore itself failed (the engine is away): it stays pending and is retried.
            onError: { target: '#stack.failed', actions: { type: 'recordFailure', params: ({ event }) => ({ error: event.error }) } },
          },
        },
      },
    },
    failed: {
      always: [
        // A pending restore comes before a delete: a half-applied deployment is not left behind.
        { guard: 'deleteWithoutRestore', target: 'deleted' },
        { guard: 'pendingBehindRestore', target: '#stack.rollout.rolling_back' },
        { guard: 'hasPending', target: 'fetching', actions: 'startPendingCycle' },
      ],
      on: {
        DELETE: [{ guard: 'restorePending', target: '#stack.rollout.rolling_back', actions: 'markDeleteRequested' }, { target: 'deleted' }],
        // A pending restore comes first: pausing then would leave a half-applied deployment.
        PAUSE: [{ guard: 'restorePending', actions: 'markPaused' }, { target: 'paused', actions: 'markPaused' }],
        RETRY: [{ guard: 'restorePending', target: '#stack.rollout.rolling_back' }, { target: 'fetching', actions: 'retryAfterBackoff' }],
      },
      after: {
        backoffDelay: [
          { guard: 'restorePending', target: '#stack.rollout.rolling_back' },
          { target: 'fetching', actions: 'retryAfterBackoff' },
        ],
      },
    },
    paused: {
      // A push that was queued while the stack was busy when it was paused is not run later.
      entry: [{ type: 'endDeployment', params: ({ context }) => skippedWhilePaused(context.pending) }, 'dropAutomaticRequest'],
      always: [
        { guard: 'deleteRequested', target: 'deleted' },
        { guard: 'hasOperatorRequest', target: 'fetching', actions: 'startPendingCycle' },
      ],
      on: {
        RESUME: { target: 'idle', actions: 'markResumed' },
        DELETE: { target: 'deleted' },
        // While paused only explicit operator requests run; pushes and timers wait for RESUME.
        WEBHOOK_PUSH: { actions: { type: 'endDeployment', params: ({ context, event }) => skippedWhilePaused(requestFor(event, context)) } },
        SYNC: {},
        STACK_UPDATED: { actions: 'applySettings' },
      },
    },
    deleted: {
      type: 'final',
    },
  },
});

export type StackMachine = typeof stackMachine;
