import Router from '@koa/router';
import { openApiDocument } from '../openapi.ts';

// GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated once from the route table and
// the zod schemas that validate the input.

export function openApiRoutes(): Router {
  const router = new Router();
  let document: object | undefined;
  router.get('/api/v1/openapi.json', (ctx) => {
    document ??= openApiDocument();
    ctx.body = document;
  });
  return router;
}
