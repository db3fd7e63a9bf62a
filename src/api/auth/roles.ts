// Roles (docs/api.md, Auth): viewer < operator < admin, optionally limited to some stacks.
// GET needs viewer, other methods operator; keys, hosts, audit and admin routes need admin.

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the bootstrap admin or a stored key. `stacks` null = every stack. */
export interface Caller {
  name: string;
  keyId: string | null;
  role: Role;
  stacks: string[] | null;
}

const ADMIN_PREFIXES = ['/api/v1/apikeys', '/api/v1/hosts', '/api/v1/admin', '/api/v1/audit'];
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function hasRole(caller: Caller, needed: Role): boolean {
  return ROLES.indexOf(caller.role) >= ROLES.indexOf(needed);
}

export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method.toUpperCase());
}

export function requiredRole(method: string, path: string): Role {
  if (ADMIN_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return 'admin';
  return isReadMethod(method) ? 'viewer' : 'operator';
}

/** The `{id}` of `/api/v1/stacks/{id}/…`, decoded; undefined for other paths. */
export function stackInPath(path: string): string | undefined {
  const match = /^\/api\/v1\/stacks\/([^/]+)/.exec(path);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}

/** Whether a caller may see or act on this stack (a grant names the stack's id or name). */
export function canAccessStack(caller: Caller | undefined, stack: { id: string; name: string }): boolean {
  if (!caller) return false;
  return caller.stacks === null || caller.stacks.includes(stack.id) || caller.stacks.includes(stack.name);
}
