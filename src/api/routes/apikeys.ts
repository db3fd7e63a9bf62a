import Router from '@koa/router';
import { route } from './route.ts';
import { randomUUID } from 'node:crypto';
import type { ApiKeyStore } from '../../../persistence/api-key-store.ts';
import type { ApiKeyRecord } from '../../../persistence/entities/records.ts';
import { generateApiKey } from '../../api-key-file.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { BOOTSTRAP_ADMIN, hashApiKey, type ApiKeyAuthenticator } from '../auth/api-keys.ts';
import { createApiKeySchema, updateApiKeySchema } from '../auth/api-key-schema.ts';

// /api/v1/apikeys (admin): keys are `acc_` + 64 hex, shown once in the 201 answer and stored
// only as their SHA-256.

export interface ApiKeyRouteDeps {
  apiKeys: ApiKeyStore;
  authenticator: ApiKeyAuthenticator;
}

function presentApiKey(key: ApiKeyRecord) {
  return {
    id: key.id, name: key.name, role: key.role, stacks: key.stacks, stack_grants: key.stack_grants ?? null, disabled: key.disabled ?? false,
    created_at: key.created_at, last_used_at: key.last_used_at,
  };
}

export function apiKeyRoutes(deps: ApiKeyRouteDeps): Router {
  const router = new Router();

  route(router, 'POST /api/v1/apikeys', async (ctx) => {
    const input = createApiKeySchema.parse(ctx.request.body ?? {});
    // Names identify callers in the audit trail; "admin" is the bootstrap key's.
    if (input.name === BOOTSTRAP_ADMIN || (await deps.apiKeys.list()).some((k) => k.name === input.name)) {
      throw new ConflictError(`an API key named "${input.name}" already exists`);
    }
    const key = generateApiKey();
    const record: ApiKeyRecord = {
      id: randomUUID(), name: input.name, key_hash: hashApiKey(key), role: input.role,
      stacks: input.stacks ?? null, stack_grants: input.stack_grants ?? null, disabled: input.disabled ?? false,
      created_at: new Date().toISOString(), last_used_at: null,
    };
    await deps.apiKeys.insert(record);
    ctx.state.auditTarget = record.id;
    ctx.status = 201;
    ctx.body = { ...presentApiKey(record), key, message: 'store this key now: it is not shown again' };
  });

  route(router, 'GET /api/v1/apikeys', async (ctx) => {
    ctx.body = (await deps.apiKeys.list()).map(presentApiKey);
  });

  route(router, 'GET /api/v1/apikeys/{id}', async (ctx) => {
    const key = await deps.apiKeys.get(ctx.params.id!);
    if (!key) throw new NotFoundError(`API key "${ctx.params.id}" not found`);
    ctx.body = presentApiKey(key);
  });

  route(router, 'PATCH /api/v1/apikeys/{id}', async (ctx) => {
    const input = updateApiKeySchema.parse(ctx.request.body ?? {});
    const key = await deps.apiKeys.get(ctx.params.id!);
    if (!key) throw new NotFoundError(`API key "${ctx.params.id}" not found`);
    ctx.body = presentApiKey(await deps.apiKeys.setDisabled(key.id, input.disabled));
  });

  route(router, 'DELETE /api/v1/apikeys/{id}', async (ctx) => {
    const key = await deps.apiKeys.get(ctx.params.id!);
    if (!key) throw new NotFoundError(`API key "${ctx.params.id}" not found`);
    await deps.apiKeys.delete(key.id);
    deps.authenticator.forget(key.id);
    ctx.body = { status: 'deleted' };
  });

  return router;
}
