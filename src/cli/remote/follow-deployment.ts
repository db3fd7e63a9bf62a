import type { ApiClient } from './api-client.ts';
import { encode } from './api-client.ts';
import type { Output } from './table.ts';

// `--wait`: follows a deployment to its end, a line per step as the daemon records them
// (`web: started …`). A deploy coalesced into another one follows that one.

export interface DeploymentView {
  id: string; status: string; git_commit: string | null; error_message: string | null;
  steps?: { service: string | null; step: string; message: string; at: string }[];
}

const ENDED = new Set(['completed', 'failed', 'rolled_back', 'interrupted', 'skipped']);
const FAILED = new Set(['failed', 'rolled_back', 'interrupted']);

export async function followDeployment(api: ApiClient, stack: string, deploymentId: string, out: Output, pollMs = 500): Promise<DeploymentView> {
  let id = deploymentId;
  let shown = 0;
  for (;;) {
    const d = await api.json<DeploymentView>('GET', `/api/v1/stacks/${encode(stack)}/deployments/${encode(id)}`);
    const steps = d.steps ?? [];
    for (const step of steps.slice(shown)) out.write(`  ${step.service || stack}: ${step.step} ${step.message}\n`);
    shown = steps.length;
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

/** The exit code of a followed deployment: 0 when it completed or had nothing to do, 1 when it failed. */
export function exitCodeOf(d: DeploymentView): number {
  return FAILED.has(d.status) ? 1 : 0;
}

export function describeEnd(stack: string, d: DeploymentView): string {
  const commit = d.git_commit ? ` at ${d.git_commit.slice(0, 12)}` : '';
  const why = d.error_message ? `: ${d.error_message.split('\n')[0]}` : '';
  return `deployment ${d.id} of ${stack} ${d.status}${commit}${why}\n`;
}
