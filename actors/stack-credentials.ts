import type { StackRecord } from '../persistence/entities/records.ts';
import type { StackRegistryStore, StackSecretStore } from '../persistence/stack-keyed-store.ts';
import { NotFoundError } from '../src/errors.ts';
import type { SecretBox } from '../src/secrets/index.ts';
import type { Supervisor } from './supervisor.ts';

// A stack's secrets (`${VAR}` values, write-only) and its per-registry credentials. Values are
// sealed on the way in and never come back out: the answers hold names and servers only.
// A change is reconciled at once, so the services whose configuration it changes are
// recreated (with auto_deploy) and the others are left alone.

export interface StackCredentialDeps {
  stacks: { find(idOrName: string): Promise<StackRecord | null> };
  stackSecrets: StackSecretStore;
  stackRegistries: StackRegistryStore;
  secrets: SecretBox;
  supervisor: Pick<Supervisor, 'send'>;
}

export class StackCredentialCommands {
  constructor(private readonly deps: StackCredentialDeps) {}

  private async stack(idOrName: string): Promise<StackRecord> {
    const stack = await this.deps.stacks.find(idOrName);
    if (!stack) throw new NotFoundError(`stack "${idOrName}" not found`);
    return stack;
  }

  async putSecret(idOrName: string, name: string, value: string): Promise<{ stack: StackRecord; created: boolean }> {
    const stack = await this.stack(idOrName);
    const { created } = await this.deps.stackSecrets.put({ stack_id: stack.id, name, value_sealed: this.deps.secrets.encrypt(value) });
    this.deps.supervisor.send(stack.id, { type: 'SYNC' });
    return { stack, created };
  }

  async listSecrets(idOrName: string) {
    const rows = await this.rowsOf(idOrName, this.deps.stackSecrets);
    return rows.map((s) => ({ name: s.name, stack_id: s.stack_id, created_at: s.created_at, updated_at: s.updated_at }));
  }

  async deleteSecret(idOrName: string, name: string): Promise<void> {
    const stack = await this.removeRow(idOrName, this.deps.stackSecrets, name, 'secret');
    this.deps.supervisor.send(stack.id, { type: 'SYNC' });
  }

  async putRegistry(idOrName: string, input: { server: string; username: string; password: string }): Promise<{ stack: StackRecord; created: boolean }> {
    const stack = await this.stack(idOrName);
    const server = input.server.toLowerCase();
    const { created } = await this.deps.stackRegistries.put({
      stack_id: stack.id, server, username: input.username, password_sealed: this.deps.secrets.encrypt(input.password),
    });
    return { stack, created };
  }

  async listRegistries(idOrName: string) {
    const rows = await this.rowsOf(idOrName, this.deps.stackRegistries);
    return rows.map((r) => ({ server: r.server, username: r.username, created_at: r.created_at, updated_at: r.updated_at }));
  }

  async deleteRegistry(idOrName: string, server: string): Promise<void> {
    await this.removeRow(idOrName, this.deps.stackRegistries, server.toLowerCase(), 'registry');
  }

  private async rowsOf<T>(idOrName: string, store: { list(stackId: string): Promise<T[]> }): Promise<T[]> {
    return store.list((await this.stack(idOrName)).id);
  }

  private async removeRow(idOrName: string, store: { remove(stackId: string, key: string): Promise<boolean> }, key: string, what: string): Promise<StackRecord> {
    const stack = await this.stack(idOrName);
    if (!(await store.remove(stack.id, key))) throw new NotFoundError(`stack "${stack.name}" has no ${what} "${key.slice(0, 260)}"`);
    return stack;
  }
}
