// Roles (docs/api.md, Auth): none < viewer < operator < admin, optionally limited to some
// stacks, each with a role of its own (`stack_grants`). Which role a route needs is declared
// with the route (src/api/openapi/route-docs.ts).

export const ROLES = ['none', 'viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling: the bootstrap admin or a stored key. `stacks` null = every stack; else the
 * stacks it may reach, and `grants` the role it has on each (ids or names).
 */
export interface Caller {
  name: string;
  keyId: string | null;
  role: Role;
  stacks: string[] | null;
  grants?: Record<string, Role> | null;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function hasRole(caller: Caller, needed: Role): boolean {
  return roleAllows(caller.role, needed);
}

/** Whether `role` is `needed` or above it. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The caller's role on one stack: its grant there, else its own role. */
export function roleOn(caller: Caller, stack: { id: string; name: string }): Role {
  return caller.grants?.[stack.id] ?? caller.grants?.[stack.name] ?? caller.role;
}

/** The highest role the caller has anywhere: what routes that answer only about its stacks need. */
export function bestRole(caller: Caller): Role {
  const roles = [caller.role, ...Object.values(caller.grants ?? {})];
  return roles.reduce((best, role) => (ROLES.indexOf(role) > ROLES.indexOf(best) ? role : best));
}

export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method.toUpperCase());
}

/** Whether a caller may see or act on this stack (a grant names the stack's id or name). */
export function canAccessStack(caller: Caller | undefined, stack: { id: string; name: string }): boolean {
  if (!caller) return false;
  return caller.stacks === null || caller.stacks.includes(stack.id) || caller.stacks.includes(stack.name);
}
