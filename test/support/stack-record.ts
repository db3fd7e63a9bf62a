import { randomUUID } from 'node:crypto';
import type { StackRecord } from '../../persistence/entities/records.ts';

/** A stack row as StackCommands.create writes it (no secrets, quiet settings), for store-level tests. */
export function stackRecord(name: string, overrides: Partial<StackRecord> = {}): StackRecord {
  const now = new Date().toISOString();
  return {
    id: randomUUID(), name, repo_url: `https://git.example.com/acme/${name}.git`, repo_branch: 'main', repo_ref: null,
    compose_path: 'docker-compose.yaml', service_filter: null, auto_deploy: false, requires_approval: false, reconcile_interval_seconds: 0,
    repo_username: null, repo_token_sealed: null, repo_ssh_key_sealed: null, docker_registry: null, docker_username: null,
    docker_password_sealed: null, webhook_secret_sealed: null, repo_ssh_known_hosts: null, repo_ssh_strict_host_key_checking: null,
    paused: false, state: 'idle', sync_status: 'unknown', health_status: 'unknown', last_error: null, failed_commit: null,
    git_commit: null, last_deployed_at: null, last_reconciled_at: null, created_at: now, updated_at: now, ...overrides,
  };
}
