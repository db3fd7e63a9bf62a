import type Router from '@koa/router';
import { z } from 'zod';
import { WEBHOOK_PROVIDERS } from '../webhooks/providers.ts';
import { responseSchemas } from './response-schemas.ts';
import { routeDoc, type Answer, type RouteDoc } from './route-docs.ts';

// The OpenAPI 3.1 document of the API, built from the routers that serve it (so every route
// is listed) and the zod schemas that validate each route's input (z.toJSONSchema).

export interface RegisteredRoute {
  method: string;
  /** OpenAPI form: `/api/v1/stacks/{id}`. */
  path: string;
}

type JsonSchema = Record<string, unknown>;

/** Every method + path the routers answer (HEAD, added by @koa/router for GET, left out). */
export function registeredRoutes(routers: readonly Router[]): RegisteredRoute[] {
  const seen = new Map<string, RegisteredRoute>();
  for (const router of routers) {
    for (const layer of router.stack) {
      const path = openApiPath(String(layer.path));
      for (const method of layer.methods.filter((m) => m !== 'HEAD')) seen.set(`${method} ${path}`, { method, path });
    }
  }
  return [...seen.values()];
}

export function openApiPath(koaPath: string): string {
  const trimmed = koaPath.length > 1 ? koaPath.replace(/\/+$/, '') : koaPath;
  return trimmed.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function answerContent([, schema]: Answer) {
  if (!schema) return { 'application/json': { schema: { type: 'object' } } };
  if (schema === 'text') return { 'text/plain': { schema: { type: 'string' } } };
  const name = schema.replace('[]', '');
  const ref = { $ref: `#/components/schemas/${name}` };
  return { 'application/json': { schema: schema.endsWith('[]') ? { type: 'array', items: ref } : ref } };
}

function parameters(path: string, doc: RouteDoc | undefined) {
  const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name, in: 'path', required: true,
    schema: name === 'provider' ? { type: 'string', enum: [...WEBHOOK_PROVIDERS] } : { type: 'string' },
    description: name === 'id' ? 'id or name' : undefined,
  }));
  const query = doc?.query ? jsonSchema(doc.query, 'input') : undefined;
  const properties = (query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query?.required ?? []) as string[]);
  const inQuery = Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
  return [...inPath, ...inQuery];
}

/** Public: no key. Signed (webhooks): a signature, or else an operator key. Others: the role. */
function securityOf(doc: RouteDoc | undefined) {
  if (doc?.access === 'public') return { security: [] };
  if (doc?.access === 'signed') return { security: [{}, { apiKey: [] }], 'x-required-role': 'operator', 'x-signed': true };
  return { 'x-required-role': doc?.access ?? 'viewer' };
}

function operation(route: RegisteredRoute, doc: RouteDoc | undefined) {
  const answers: Record<number, Answer> = { ...(doc?.answers ?? { 200: ['undocumented route'] }) };
  if (doc?.access !== 'public' && doc?.access !== 'signed') {
    answers[401] ??= ['X-API-KEY missing', 'Error'];
    answers[403] ??= [`wrong key, or the key lacks the ${doc?.access ?? 'needed'} role or a grant for this stack`, 'Error'];
    answers[429] ??= ['too many wrong keys from this address; Retry-After says when to try again', 'Error'];
  }
  if (doc?.body) answers[413] ??= ['body over 1 MiB', 'Error'];
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: doc?.summary ?? 'undocumented route',
    tags: [doc?.tag ?? 'undocumented'],
    ...securityOf(doc),
    parameters: parameters(route.path, doc),
    ...(doc?.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body, 'input') } } } } : {}),
    responses: Object.fromEntries(Object.entries(answers).map(([status, answer]) => [status, { description: answer[0], content: answerContent(answer) }])),
  };
}

export function openApiDocument(routes: readonly RegisteredRoute[], version = '0.1.0') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path))) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, routeDoc(`${route.method} ${route.path}`));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Accelero', version,
      description: 'GitOps for Docker Compose. Paths, fields and the X-API-KEY header follow the Go Accelero; errors are {"error", "code"}.',
    },
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' } },
      schemas: Object.fromEntries(Object.entries(responseSchemas).map(([name, schema]) => [name, jsonSchema(schema, 'output')])),
    },
  };
}
