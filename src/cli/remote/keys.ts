import { Command } from 'commander';
import { encode } from './api-client.ts';
import type { RemoteIo } from './stacks.ts';
import { printJson, printTable, shortTime } from './table.ts';

// `accelero keys ls|create|rm` (an admin key).

interface KeyView {
  id: string; name: string; role: string; stacks: string[] | null; stack_grants: Record<string, string> | null; disabled: boolean;
  created_at: string; last_used_at: string | null; key?: string;
}

const reach = (k: KeyView) => [...(k.stacks ?? []).map((s) => (k.stack_grants?.[s] ? '' : s)), ...Object.entries(k.stack_grants ?? {}).map(([s, r]) => `${s}:${r}`)].filter(Boolean).join(',') || 'all';

export function keysCommand(io: RemoteIo): Command {
  const keys = new Command('keys').description('API keys of a running daemon (needs an admin key)');
  keys.command('ls').description('list the keys').option('--json').action(async (o: { json?: boolean }) => {
    const list = await io.api().json<KeyView[]>('GET', '/api/v1/apikeys');
    if (o.json) return printJson(io.stdout, list);
    printTable(io.stdout, ['ID', 'NAME', 'ROLE', 'STACKS', 'DISABLED', 'LAST USED'],
      list.map((k) => [k.id, k.name, k.role, reach(k), k.disabled ? 'yes' : 'no', shortTime(k.last_used_at)]));
  });
  keys.command('create <name>').description('create a key; it is shown once')
    .requiredOption('--role <role>', 'none, viewer, operator or admin').option('--stacks <list>', 'comma-separated stacks the key is limited to')
    .option('--grants <list>', 'a role per stack: shop=operator,billing=viewer')
    .option('--json')
    .action(async (name: string, o: { role: string; stacks?: string; grants?: string; json?: boolean }) => {
      const list = (text?: string) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
      const grants = list(o.grants)?.map((pair) => pair.split('=') as [string, string]);
      const created = await io.api().json<KeyView>('POST', '/api/v1/apikeys', {
        name, role: o.role, stacks: list(o.stacks), stack_grants: grants ? Object.fromEntries(grants) : undefined,
      });
      if (o.json) return printJson(io.stdout, created);
      io.stdout.write(`created key ${created.name} (${created.id}, ${created.role}); it is not shown again:\n${created.key}\n`);
    });
  keys.command('rm <id>').description('delete a key').action(async (id: string) => {
    await io.api().json('DELETE', `/api/v1/apikeys/${encode(id)}`);
    io.stdout.write(`deleted key ${id}\n`);
  });
  return keys;
}
