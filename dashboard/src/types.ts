// The API's JSON as the dashboard reads it (docs/api.md is the contract).

export type Role = 'none' | 'viewer' | 'operator' | 'admin';

/** `stack_grants`: the role on each stack the key reaches (null: every stack, at `role`). */
export interface Whoami { name: string; role: Role; stacks: string[] | null; stack_grants?: Record<string, Role> | null }

export interface LastDeployment {
  id: string; status: string; trigger: string; git_commit: string | null; error_message: string | null;
  started_at: string; completed_at: string | null;
}

export interface Stack {
  id: string; name: string; repo_url: string; repo_branch: string; repo_ref: string | null; compose_path: string;
  auto_deploy: boolean; reconcile_interval_seconds: number; state: string; sync_status: string; health_status: string;
  paused: boolean; last_error: string | null; last_deployed_at: string | null; last_reconciled_at: string | null;
  git_commit: string | null; last_deployment: LastDeployment | null;
}

export interface Change { service: string; action: string; from: string | null; to: string | null }
export interface Step { at: string; service: string | null; step: string; message: string }

export interface Deployment extends LastDeployment {
  stack_id: string; stack_name: string; changes: Change[]; image_ids: Record<string, string>; steps?: Step[];
}

export interface Transition { id: number; from: string; to: string; event: string; at: string; deployment_id: string | null }

export interface DriftItem { service_name: string; type: string; message: string }
export interface Drift { checked_at: string; has_drift: boolean; drifts: DriftItem[] }

export interface PlannedAction { service_name: string; action: string; reason: string; order: string }
export interface Preview { checked_at: string; git_commit: string | null; has_changes: boolean; actions: PlannedAction[] }

export interface Port { private_port: number; public_port: number | null; ip: string | null; type: string }
export interface Container {
  id: string; name: string; image: string; service: string; replica: number; state: string; status: string;
  health: string | null; ports: Port[];
}

export interface SupervisorFigures {
  deploy_slots: { in_use: number; limit: number; waiting: number };
  stack_actors: { running: number; busy: number; restarted: number };
  parked: Array<{ stack_id: string; stack_name: string; error: string }>;
}

export interface MachineTransition { event: string; target: string | null; guard: string | null; actions: string[] }
export interface MachineState {
  name: string; path: string; parent: string | null; type: 'atomic' | 'compound' | 'final';
  initial: string | null; invokes: string[]; transitions: MachineTransition[];
}
export interface Machine { id: string; initial: string; states: MachineState[]; public_states: string[] }

export type StreamEvent =
  | { kind: 'hello'; stack: string | null; at: string }
  | { kind: 'transition'; stack_id: string; stack_name: string; from: string; to: string; event: string; at: string; deployment_id: string | null }
  | { kind: 'deployment'; stack_id: string; stack_name: string; deployment_id: string; service: string | null; step: string; message: string; at: string }
  | { kind: 'drift'; stack_id: string; stack_name: string; has_drift: boolean; drift_count: number; at: string };
