import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { POLICY_RULE_NAMES, type PolicyRule } from './rules.ts';

// ACCELERO_POLICY_FILE: exceptions an admin grants every stack, or named stacks, in YAML:
//
//   allow: [host_network]
//   stacks:
//     monitoring: { allow: [docker_socket, host_pid] }

const rules = z.array(z.enum(POLICY_RULE_NAMES as [PolicyRule, ...PolicyRule[]])).max(POLICY_RULE_NAMES.length);

const policyFileSchema = z.object({
  allow: rules.default([]),
  stacks: z.record(z.string(), z.object({ allow: rules }).strict()).default({}),
}).strict();

export interface PolicyFile {
  allow: PolicyRule[];
  allowByStack: Record<string, PolicyRule[]>;
}

export function readPolicyFile(path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError(`ACCELERO_POLICY_FILE=${path} cannot be read: ${(error as Error).message}`, 'ACCELERO_POLICY_FILE');
  }
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new ValidationError(`ACCELERO_POLICY_FILE=${path} is not valid YAML: ${(error as Error).message}`, 'ACCELERO_POLICY_FILE');
  }
  const result = policyFileSchema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ValidationError(`ACCELERO_POLICY_FILE=${path}: ${issue.path.join('.') || 'top level'}: ${issue.message} (rules: ${POLICY_RULE_NAMES.join(', ')})`, 'ACCELERO_POLICY_FILE');
  }
  return { allow: result.data.allow, allowByStack: Object.fromEntries(Object.entries(result.data.stacks).map(([name, entry]) => [name, entry.allow])) };
}
