import { Command } from 'commander';
import { encode } from './api-client.ts';
import type { RemoteIo } from './stacks.ts';
import { printJson, printTable, shortTime } from './table.ts';

// `accelero keys ls|create|rm` (an admin key).

interface KeyView { id: string; name: string; role: string; stacks: string[] | null; created_at: string; last_used_at: string | null; key?: string }

export function keysCommand(io: RemoteIo): Command {
  const keys = new Command('keys').description('API keys of a running daemon (needs an admin key)');
  keys.command('ls').description('list the keys').option('--json').action(async (o: { json?: boolean }) => {
    const list = await io.api().json<KeyView[]>('GET', '/api/v1/apikeys');
    if (o.json) return printJson(io.stdout, list);
    printTable(io.stdout, ['ID', 'NAME', 'ROLE', 'STACKS', 'LAST USED'],
      list.map((k) => [k.id, k.name, k.role, k.stacks?.join(',') ?? 'all', shortTime(k.last_used_at)]));
  });
  keys.command('create <name>').description('create a key; it is shown once')
    .requiredOption('--role <role>', 'viewer, operator or admin').option('--stacks <list>', 'comma-separated stacks the key is limited to')
    .option('--json')
    .action(async (name: string, o: { role: string; stacks?: string; json?: boolean }) => {
      const stacks = o.stacks ? o.stacks.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      const created = await io.api().json<KeyView>('POST', '/api/v1/apikeys', { name, role: o.role, stacks });
      if (o.json) return printJson(io.stdout, created);
      io.stdout.write(`created key ${created.name} (${created.id}, ${created.role}); it is not shown again:\n${created.key}\n`);
    });
  keys.command('rm <id>').description('delete a key').action(async (id: string) => {
    await io.api().json('DELETE', `/api/v1/apikeys/${encode(id)}`);
    io.stdout.write(`deleted key ${id}\n`);
  });
  return keys;
}
