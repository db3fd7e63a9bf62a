import type { ApiClient } from './api-client.ts';
import { encode } from './api-client.ts';
import type { Output } from './table.ts';

// `--wait`: follows a deployment to its end, a line per step as the daemon records them
// (`web: started …`). A deploy coalesced into another one follows that one. A deployment that
// waits for approval (requires_approval) ends the wait: following it would block until someone
// approves; it says so and exits 0 (`accelero stacks approve … --wait` follows it from there).

export interface DeploymentView {
  id: string; status: string; git_commit: string | null; error_message: string | null;
  steps?: { service: string | null; step: string; message: string; at: string }[];
}

const ENDED = new Set(['completed', 'failed', 'rolled_back', 'interrupted', 'skipped', 'rejected']);
const FAILED = new Set(['failed', 'rolled_back', 'interrupted', 'rejected']);

export interface FollowOptions {
  pollMs?: number;
  /** False after an approve: the row says awaiting_approval until the stack starts on it. */
  stopAtApproval?: boolean;
}

export async function followDeployment(api: ApiClient, stack: string, deploymentId: string, out: Output, options: FollowOptions = {}): Promise<DeploymentView> {
  const { pollMs = 500, stopAtApproval = true } = options;
  let id = deploymentId;
  let shown = 0;
  for (;;) {
    const d = await api.json<DeploymentView>('GET', `/api/v1/stacks/${encode(stack)}/deployments/${encode(id)}`);
    const steps = d.steps ?? [];
    for (const step of steps.slice(shown)) out.write(`  ${step.service || stack}: ${step.step} ${step.message}\n`);
    shown = steps.length;
    if (d.status === 'awaiting_approval' && stopAtApproval) return d;
    if (ENDED.has(d.status)) {
      const into = d.status === 'skipped' ? /coalesced into deployment (\S+)/.exec(d.error_message ?? '')?.[1] : undefined;
      if (!into) return d;
      out.write(`deployment ${id} was coalesced into ${into}; following it\n`);
      id = into;
      shown = 0;
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The exit code of a followed deployment: 0 when it completed, had nothing to do or waits for approval; 1 when it failed or was rejected. */
export function exitCodeOf(d: DeploymentView): number {
  return FAILED.has(d.status) ? 1 : 0;
}

export function describeEnd(stack: string, d: DeploymentView): string {
  const commit = d.git_commit ? ` at ${d.git_commit.slice(0, 12)}` : '';
  const why = d.error_message ? `: ${d.error_message.split('\n')[0]}` : '';
  if (d.status === 'awaiting_approval') {
    return `deployment ${d.id} of ${stack} waits for approval${commit}: accelero stacks approve ${stack} ${d.id} (or reject)\n`;
  }
  return `deployment ${d.id} of ${stack} ${d.status}${commit}${why}\n`;
}
