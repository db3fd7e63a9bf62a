import Router from '@koa/router';
import { route } from './route.ts';
import { openApiDocument, registeredRoutes } from '../openapi/document.ts';

// GET /api/v1/openapi.json: built once, on first request, from the routers the app mounted.

export function openApiRoutes(mountedRouters: () => readonly Router[]): Router {
  const router = new Router();
  let document: object | undefined;
  route(router, 'GET /api/v1/openapi.json', (ctx) => {
    document ??= openApiDocument(registeredRoutes(mountedRouters()));
    ctx.body = document;
  });
  return router;
}
