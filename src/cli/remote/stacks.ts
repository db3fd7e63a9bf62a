import { Command } from 'commander';
import { type ApiClient, encode } from './api-client.ts';
import { describeEnd, exitCodeOf, followDeployment, type DeploymentView, type FollowOptions } from './follow-deployment.ts';
import { printJson, printTable, shortTime, type Output } from './table.ts';

// `accelero stacks ls|show|create|deploy|rollback|approve|reject|logs` against a running daemon.

export interface RemoteIo {
  stdout: Output;
  stderr: Output;
  /** Built lazily, so `--help` needs no key. */
  api(): ApiClient;
  exit(code: number): void;
}

interface StackView {
  id: string; name: string; status: string; sync_status: string; health_status: string; git_commit: string | null;
  last_deployed_at: string | null; repo_url: string; repo_branch: string; compose_path: string; last_error: string | null;
}

interface ContainerView { id: string; name: string; service: string; state: string }

const json = { flags: '--json', description: 'print the API\'s JSON instead of a table' };

export function stacksCommand(io: RemoteIo): Command {
  const stacks = new Command('stacks').description('stacks of a running daemon (ACCELERO_URL, ACCELERO_API_KEY)');
  stacks.command('ls').description('list the stacks').option(json.flags, json.description).action(async (options: { json?: boolean }) => {
    const list = await io.api().json<StackView[]>('GET', '/api/v1/stacks');
    if (options.json) return printJson(io.stdout, list);
    printTable(io.stdout, ['NAME', 'STATUS', 'SYNC', 'HEALTH', 'COMMIT', 'DEPLOYED'],
      list.map((s) => [s.name, s.status, s.sync_status, s.health_status, s.git_commit?.slice(0, 12), shortTime(s.last_deployed_at)]));
  });
  stacks.command('show <stack>').description('one stack and its latest deployments').option(json.flags, json.description)
    .action(async (stack: string, options: { json?: boolean }) => {
      const api = io.api();
      const view = await api.json<StackView>('GET', `/api/v1/stacks/${encode(stack)}`);
      const deployments = await api.json<DeploymentView[]>('GET', `/api/v1/stacks/${encode(stack)}/deployments?limit=5`);
      if (options.json) return printJson(io.stdout, { ...view, deployments });
      printTable(io.stdout, ['FIELD', 'VALUE'], [
        ['name', view.name], ['status', view.status], ['sync', view.sync_status], ['health', view.health_status],
        ['repository', `${view.repo_url} (${view.repo_branch})`], ['compose file', view.compose_path],
        ['commit', view.git_commit], ['deployed', shortTime(view.last_deployed_at)], ['last error', view.last_error],
      ]);
      io.stdout.write('\n');
      printTable(io.stdout, ['DEPLOYMENT', 'STATUS', 'COMMIT'], deployments.map((d) => [d.id, d.status, d.git_commit?.slice(0, 12)]));
    });
  stacks.command('create <name>').description('create a stack from a git repository')
    .requiredOption('--repo <url>', 'the git repository').option('--branch <branch>').option('--file <path>', 'the compose file in it')
    .option('--no-auto-deploy', 'only deploy when asked').option('--interval <seconds>', 'reconcile interval (0: only on demand)')
    .option('--requires-approval', 'deploys wait for `stacks approve` (rollbacks do not)')
    .option(json.flags, json.description)
    .action(async (name: string, o: { repo: string; branch?: string; file?: string; autoDeploy: boolean; interval?: string; requiresApproval?: boolean; json?: boolean }) => {
      const body = {
        name, repo_url: o.repo, repo_branch: o.branch, compose_path: o.file, auto_deploy: o.autoDeploy, requires_approval: o.requiresApproval,
        reconcile_interval_seconds: o.interval === undefined ? undefined : Number(o.interval),
      };
      const created = await io.api().json<StackView>('POST', '/api/v1/stacks', body);
      if (o.json) return printJson(io.stdout, created);
      io.stdout.write(`created stack ${created.name} (${created.id})\n`);
    });
  stacks.addCommand(deployCommand(io, 'deploy', 'deploy what git holds now'));
  stacks.addCommand(deployCommand(io, 'rollback', 'redeploy an earlier deployment (default: the last completed one) and pin the stack'));
  stacks.addCommand(approveCommand(io));
  stacks.command('reject <stack> <deployment>').description('reject a deployment that waits for approval; nothing is deployed')
    .option('--reason <text>', 'why (at most 500 characters; kept in the error_message)').option(json.flags, json.description)
    .action(async (stack: string, deployment: string, o: { reason?: string; json?: boolean }) => {
      const body = o.reason === undefined ? {} : { reason: o.reason };
      const rejected = await io.api().json<DeploymentView>('POST', `/api/v1/stacks/${encode(stack)}/deployments/${encode(deployment)}/reject`, body);
      if (o.json) return printJson(io.stdout, rejected);
      io.stdout.write(describeEnd(stack, rejected));
    });
  stacks.command('logs <stack> [container]').description("a container's log (default: every container of the stack)")
    .option('--tail <lines>', 'lines from the end of each log', '100')
    .action(async (stack: string, container: string | undefined, o: { tail: string }) => {
      const api = io.api();
      const all = await api.json<ContainerView[]>('GET', `/api/v1/stacks/${encode(stack)}/containers`);
      const chosen = container ? all.filter((c) => c.name === container || c.service === container || c.id.startsWith(container)) : all;
      if (chosen.length === 0) throw new Error(`stack ${stack} has no container "${container}"`);
      for (const c of chosen) {
        const text = await api.text(`/api/v1/stacks/${encode(stack)}/containers/${encode(c.id)}/logs?tail=${encode(o.tail)}`);
        const prefix = chosen.length > 1 ? `${c.name} | ` : '';
        for (const line of text.split('\n').filter(Boolean)) io.stdout.write(`${prefix}${line}\n`);
      }
    });
  return stacks;
}

/** `--wait`: a line per step, then how it ended; the exit code says whether it failed. */
async function followToEnd(io: RemoteIo, api: ApiClient, stack: string, id: string, asJson: boolean | undefined, options: FollowOptions = {}): Promise<void> {
  const end = await followDeployment(api, stack, id, asJson ? { write: () => undefined } : io.stdout, options);
  if (asJson) printJson(io.stdout, end);
  else io.stdout.write(describeEnd(stack, end));
  io.exit(exitCodeOf(end));
}

function approveCommand(io: RemoteIo): Command {
  return new Command('approve').argument('<stack>').argument('<deployment>').description('approve a deployment that waits for approval: its planned commit is deployed')
    .option('--wait', 'follow the deployment to its end, a line per step; exit 1 if it fails')
    .option(json.flags, json.description)
    .action(async (stack: string, deployment: string, o: { wait?: boolean; json?: boolean }) => {
      const api = io.api();
      const accepted = await api.json<{ deployment_id: string; message: string }>('POST', `/api/v1/stacks/${encode(stack)}/deployments/${encode(deployment)}/approve`);
      if (!o.wait) return o.json ? printJson(io.stdout, accepted) : void io.stdout.write(`${accepted.message}: deployment ${accepted.deployment_id}\n`);
      if (!o.json) io.stdout.write(`approved deployment ${accepted.deployment_id} of ${stack}\n`);
      await followToEnd(io, api, stack, accepted.deployment_id, o.json, { stopAtApproval: false });
    });
}

function deployCommand(io: RemoteIo, verb: 'deploy' | 'rollback', description: string): Command {
  const command = new Command(verb).argument('<stack>').description(description)
    .option('--wait', 'follow the deployment to its end, a line per step; exit 1 if it fails')
    .option(json.flags, json.description);
  if (verb === 'rollback') command.option('--to <deployment>', 'the deployment to go back to');
  return command.action(async (stack: string, o: { wait?: boolean; json?: boolean; to?: string }) => {
    const api = io.api();
    const body = verb === 'rollback' && o.to ? { deployment_id: o.to } : undefined;
    const accepted = await api.json<{ deployment_id: string; message?: string }>('POST', `/api/v1/stacks/${encode(stack)}/${verb}`, body);
    if (!o.wait) return o.json ? printJson(io.stdout, accepted) : void io.stdout.write(`${verb} of ${stack} queued: deployment ${accepted.deployment_id}\n`);
    if (!o.json) io.stdout.write(`${verb} of ${stack}: deployment ${accepted.deployment_id}\n`);
    await followToEnd(io, api, stack, accepted.deployment_id, o.json);
  });
}
