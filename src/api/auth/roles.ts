// Roles (docs/api.md, Auth): viewer < operator < admin, optionally limited to some stacks.
// Which role a route needs is declared with the route (src/api/openapi/route-docs.ts).

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the bootstrap admin or a stored key. `stacks` null = every stack. */
export interface Caller {
  name: string;
  keyId: string | null;
  role: Role;
  stacks: string[] | null;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function hasRole(caller: Caller, needed: Role): boolean {
  return ROLES.indexOf(caller.role) >= ROLES.indexOf(needed);
}

export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method.toUpperCase());
}

/** Whether a caller may see or act on this stack (a grant names the stack's id or name). */
export function canAccessStack(caller: Caller | undefined, stack: { id: string; name: string }): boolean {
  if (!caller) return false;
  return caller.stacks === null || caller.stacks.includes(stack.id) || caller.stacks.includes(stack.name);
}
