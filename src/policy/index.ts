// The deploy policy: what a compose file from git may ask of the host (docs/api.md, Deploy policy).
export { DeployPolicy, type OwnerLookup, type PolicySettings } from './deploy-policy.ts';
export { checkProject, referencedObjects, type PolicyInput, type PolicyPaths, type ResourceOwners } from './check.ts';
export { POLICY_RULES, POLICY_RULE_NAMES, isPolicyRule, type PolicyRule } from './rules.ts';
export { PolicyViolationError, describeViolation, type PolicyViolation } from './violation.ts';
export { readPolicyFile } from './policy-file.ts';
