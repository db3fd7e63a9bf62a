import { AcceleroError } from '../errors.ts';
import type { PolicyRule } from './rules.ts';

// A compose file asked for something the deploy policy denies. The message names the stack,
// the service, the field and the rule, and how an admin allows it.

export interface PolicyViolation {
  stack: string;
  /** The service that asks for it; null for a top-level network or volume no service uses. */
  service: string | null;
  /** The compose field, e.g. `privileged`, `volumes`, `networks.shared`. */
  field: string;
  rule: PolicyRule;
  message: string;
}

export function describeViolation(v: PolicyViolation): string {
  const service = v.service === null ? '' : `, service "${v.service}"`;
  return `stack "${v.stack}"${service}, field "${v.field}": ${v.message} (rule ${v.rule})`;
}

export class PolicyViolationError extends AcceleroError {
  readonly violations: PolicyViolation[];

  constructor(violations: PolicyViolation[]) {
    const first = violations[0]!;
    const rules = [...new Set(violations.map((v) => v.rule))];
    super(
      `deploy policy: ${violations.map(describeViolation).join('; ')}. Nothing was changed. ` +
        `An admin can allow it for this stack with PUT /api/v1/stacks/${first.stack} {"policy": {"allow": ${JSON.stringify(rules)}}}, or for every stack in ACCELERO_POLICY_FILE`,
      'policy_violation', 422,
    );
    this.violations = violations;
  }
}
