import Router from '@koa/router';
import type { StackCredentialCommands } from '../../../actors/stack-credentials.ts';
import { registryBodySchema, secretBodySchema } from '../stack-schema.ts';
import { route } from './route.ts';

// A stack's secrets and registry credentials (Go Accelero routes): written, listed by name or
// server, deleted; never read back.

export function stackCredentialRoutes(deps: { credentials: StackCredentialCommands }): Router {
  const router = new Router();
  const { credentials } = deps;

  route(router, 'POST /api/v1/stacks/{id}/secrets', async (ctx) => {
    const input = secretBodySchema.parse(ctx.request.body ?? {});
    const { created } = await credentials.putSecret(ctx.params.id!, input.name, input.value);
    ctx.status = created ? 201 : 200;
    ctx.body = { name: input.name, created };
  });

  route(router, 'GET /api/v1/stacks/{id}/secrets', async (ctx) => {
    ctx.body = await credentials.listSecrets(ctx.params.id!);
  });

  route(router, 'DELETE /api/v1/stacks/{id}/secrets/{name}', async (ctx) => {
    await credentials.deleteSecret(ctx.params.id!, ctx.params.name!);
    ctx.status = 204;
  });

  route(router, 'POST /api/v1/stacks/{id}/registries', async (ctx) => {
    const input = registryBodySchema.parse(ctx.request.body ?? {});
    const { created } = await credentials.putRegistry(ctx.params.id!, input);
    ctx.status = created ? 201 : 200;
    ctx.body = { server: input.server.toLowerCase(), username: input.username, created };
  });

  route(router, 'GET /api/v1/stacks/{id}/registries', async (ctx) => {
    ctx.body = await credentials.listRegistries(ctx.params.id!);
  });

  route(router, 'DELETE /api/v1/stacks/{id}/registries/{server}', async (ctx) => {
    await credentials.deleteRegistry(ctx.params.id!, ctx.params.server!);
    ctx.status = 204;
  });

  return router;
}
