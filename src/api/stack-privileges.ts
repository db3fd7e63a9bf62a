import type { Context } from 'koa';
import { isLocalRepository } from '../git/credential-host.ts';
import { requireCaller } from './auth/authenticate.ts';
import type { UpdateStackInput } from './stack-schema.ts';

// Stack fields only an admin may set, whatever role the route needs: `policy` (exceptions to
// the deploy policy), and a repository on this host's disk (a local path or file:// URL reads
// any repository the daemon can read, other stacks' mirrors included).

export function requireAdminFor(ctx: Context, input: Pick<UpdateStackInput, 'policy' | 'repo_url'>): void {
  if (input.policy !== undefined) requireCaller(ctx, 'admin', 'setting policy');
  if (input.repo_url !== undefined && isLocalRepository(input.repo_url)) requireCaller(ctx, 'admin', 'a local-path or file:// repo_url');
}
