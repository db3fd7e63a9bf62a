import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { authorize } from '../auth/authenticate.ts';
import { routeDoc, type RouteKey } from '../openapi/route-docs.ts';

// Every route is registered here, by its key in route-docs.ts: the key gives the method and
// the path, and the entry the access the route needs. The check runs on the route that
// matched (after @koa/router matched it), never on a path string compared on its own.

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
type Method = (typeof METHODS)[number];

/** `GET /api/v1/stacks/{id}` → `GET`, `/api/v1/stacks/:id`. */
export function koaRouteOf(key: string): { method: Method; path: string } {
  const [method, path] = key.split(' ') as [Method, string];
  if (!METHODS.includes(method) || !path?.startsWith('/')) throw new Error(`route key "${key}" is not "METHOD /path"`);
  return { method, path: path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1') };
}

export function route(router: Router, key: RouteKey, handler: Middleware): void {
  const doc = routeDoc(key);
  // A route without a declared access would be open: refuse to register it.
  if (!doc) throw new Error(`route ${key} has no entry in route-docs.ts`);
  const { method, path } = koaRouteOf(key);
  const guard: Middleware[] = doc.access === 'public' || doc.access === 'signed' ? [] : [authorize({
    role: doc.access,
    stackParam: path.startsWith('/api/v1/stacks/:id'),
    filtersByGrant: doc.filtersByGrant === true,
  }, key)];
  router.register(path, [method], [...guard, handler], { name: key });
}
