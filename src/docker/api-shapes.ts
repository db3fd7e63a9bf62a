// Drift and preview in the response shapes of API.md (snake_case), so the API layer only
// adds stack_id / stack_name.

import type { DriftItem, Plan } from './types.ts';

export interface DriftResponseItem { service_name: string; type: string; expected: string; actual: string; message: string }
export interface PreviewResponseAction { service_name: string; action: string; reason: string; expected: string; actual: string; order: string }

export function toDriftResponse(drift: DriftItem[], checkedAt: string): { checked_at: string; has_drift: boolean; drifts: DriftResponseItem[] } {
  return {
    checked_at: checkedAt,
    has_drift: drift.length > 0,
    drifts: drift.map((d) => ({ service_name: d.service, type: d.kind, expected: d.expected, actual: d.actual, message: d.message })),
  };
}

export function toPreviewResponse(plan: Plan, checkedAt: string): { checked_at: string; has_changes: boolean; actions: PreviewResponseAction[] } {
  return {
    checked_at: checkedAt,
    has_changes: plan.hasChanges,
    actions: plan.actions.map((a) => ({ service_name: a.service, action: a.action, reason: a.reason, expected: a.expected, actual: a.actual, order: a.order })),
  };
}
