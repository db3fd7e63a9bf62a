import { z } from 'zod';
import { auditQuerySchema } from '../routes/audit.ts';
import { eventsQuery } from '../routes/events.ts';
import { formatQuery } from '../routes/machine.ts';
import { deleteStackQuery, limitQuery, logsQuery, resourceQuery, restartQuery, transitionsQuery } from '../routes/query-schemas.ts';
import { rollbackBody } from '../routes/rollback.ts';
import { rejectBody } from '../routes/approvals.ts';
import { legacyWebhookSchema } from '../routes/webhooks.ts';
import { createApiKeySchema, updateApiKeySchema } from '../auth/api-key-schema.ts';
import type { Role } from '../auth/roles.ts';
import { createStackSchema, registryBodySchema, secretBodySchema, updateStackSchema } from '../stack-schema.ts';
import { genericPushSchema } from '../webhooks/generic.ts';
import { createChannelSchema } from '../../notifications/channel-schema.ts';
import type { ResponseSchemaName } from './response-schemas.ts';

// What the OpenAPI document says about each route: the same zod schemas the routes validate
// with, the role it needs, and its answers. A route registered without an entry here still
// appears in the document (marked undocumented) and fails the OpenAPI test.

export type Answer = [description: string, schema?: ResponseSchemaName | `${ResponseSchemaName}[]` | 'text'];

export interface RouteDoc {
  summary: string;
  tag: string;
  /**
   * Who may call it; the route is registered with this (routes/route.ts) and checked on the
   * route that matched. 'public' = no key (probes, metrics); 'signed' = a webhook: a valid
   * signature, or an operator key when the stacks it names have no secret.
   */
  access: Role | 'public' | 'signed';
  /** A key limited to some stacks may call it, and the answer holds only its stacks. */
  filtersByGrant?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  answers: Record<number, Answer>;
}

const e = (description: string): Answer => [description, 'Error'];
const viewer = { access: 'viewer' } as const;
const operator = { access: 'operator' } as const;
const admin = { access: 'admin' } as const;
/** Webhooks: signed, or an operator key (only its granted stacks) for stacks without a secret. */
const signed = { access: 'signed', filtersByGrant: true } as const;
const stacks = { tag: 'stacks' };
const notFound = { 404: e('no such stack') };
const invalid = { 400: e('invalid input; the message names the field') };
const signature = { 401: e('signature or token missing (signature_missing) or wrong (signature_invalid), or no key for a stack without a secret'), 403: e('the key lacks the operator role or a grant'), 415: e('not a JSON body (form-encoded bodies are refused)') };

/** Keyed by `METHOD /openapi/{path}`. */
export const routeDocs = {
  'GET /health': { summary: 'Liveness (Go Accelero path)', tag: 'probes', access: 'public', answers: { 200: ['alive', 'Status'] } },
  'GET /healthz': { summary: 'Liveness', tag: 'probes', access: 'public', answers: { 200: ['alive', 'Status'] } },
  'GET /readyz': { summary: 'Readiness: database and Docker checks; 503 while draining at shutdown', tag: 'probes', access: 'public', answers: { 200: ['ready', 'Readiness'], 503: ['not ready or draining', 'Readiness'] } },
  'GET /metrics': { summary: 'Prometheus metrics (accelero_*)', tag: 'probes', access: 'public', answers: { 200: ['Prometheus text exposition', 'text'] } },
  'GET /status': { summary: "Each stack's status, last deploy time and commit (Go Accelero path; a limited key sees only its stacks)", tag: 'stacks', ...viewer, filtersByGrant: true, answers: { 200: ['the summary', 'StatusSummary'] } },
  'GET /api/v1/openapi.json': { summary: 'This OpenAPI document', tag: 'meta', ...viewer, filtersByGrant: true, answers: { 200: ['the document'] } },
  'POST /api/v1/stacks': { summary: 'Create a stack', ...stacks, ...operator, body: createStackSchema, answers: { 201: ['created', 'Stack'], ...invalid, 409: e('a stack with this name exists') } },
  'GET /api/v1/stacks': { summary: 'List stacks by name (only granted stacks for a limited key)', ...stacks, ...viewer, filtersByGrant: true, answers: { 200: ['stacks', 'Stack[]'] } },
  'GET /api/v1/stacks/{id}': { summary: 'Get a stack by id or name', ...stacks, ...viewer, answers: { 200: ['the stack', 'Stack'], ...notFound } },
  'PUT /api/v1/stacks/{id}': { summary: 'Update a stack (any subset of the create fields)', ...stacks, ...operator, body: updateStackSchema, answers: { 200: ['updated', 'Stack'], ...invalid, ...notFound } },
  'DELETE /api/v1/stacks/{id}': { summary: 'Delete a stack, optionally with its containers and volumes', ...stacks, ...operator, query: deleteStackQuery, answers: { 200: ['deleted', 'Status'], ...invalid, ...notFound } },
  'POST /api/v1/stacks/{id}/deploy': { summary: 'Queue a deploy (coalesced when busy, never 409)', ...stacks, ...operator, answers: { 202: ['queued', 'DeployAccepted'], ...notFound } },
  'POST /api/v1/stacks/{id}/pause': { summary: 'Pause reconciling and auto-deploy', ...stacks, ...operator, answers: { 200: ['paused', 'Stack'], ...notFound } },
  'POST /api/v1/stacks/{id}/resume': { summary: 'Resume a paused or pinned stack', ...stacks, ...operator, answers: { 200: ['resumed', 'Stack'], ...notFound } },
  'GET /api/v1/stacks/{id}/state': { summary: 'Live state of the stack machine', ...stacks, ...viewer, answers: { 200: ['state', 'StackState'], ...notFound } },
  'GET /api/v1/stacks/{id}/transitions': { summary: 'State transitions, newest first; ?before=<id> pages on', ...stacks, ...viewer, query: transitionsQuery, answers: { 200: ['transitions', 'Transition[]'], ...invalid, ...notFound } },
  'GET /api/v1/stacks/{id}/deployments': { summary: 'Deployments, newest first', ...stacks, ...viewer, query: limitQuery, answers: { 200: ['deployments', 'Deployment[]'], ...invalid, ...notFound } },
  'GET /api/v1/stacks/{id}/deployments/{deploymentId}': { summary: 'One deployment with its steps', ...stacks, ...viewer, answers: { 200: ['the deployment', 'Deployment'], 404: e('no such stack or deployment') } },
  'GET /api/v1/stacks/{id}/drift': { summary: 'Drift between git and the engine, checked now', ...stacks, ...viewer, answers: { 200: ['drift report', 'Drift'], ...notFound, 422: e('the compose file cannot be loaded'), 502: e('Docker or git did not answer') } },
  'POST /api/v1/stacks/{id}/preview': { summary: 'What a deploy would do, without doing it', ...stacks, ...operator, answers: { 200: ['planned actions', 'Preview'], ...notFound, 422: e('the compose file cannot be loaded'), 502: e('Docker or git did not answer') } },
  'GET /api/v1/stacks/{id}/containers': { summary: "The stack's containers, found by label", ...stacks, ...viewer, answers: { 200: ['containers', 'Container[]'], ...notFound, 502: e('Docker did not answer') } },
  'GET /api/v1/stacks/{id}/containers/{cid}': { summary: 'One container of the stack (cid: id, a 12-character prefix or the name); secret-looking environment values redacted', ...stacks, ...viewer, answers: { 200: ['the container', 'ContainerDetail'], 404: e('no such stack, or no such container in this stack'), 502: e('Docker did not answer') } },
  'GET /api/v1/stacks/{id}/containers/{cid}/logs': { summary: "A container's log: the last `tail` lines (100, at most 10000), stdout and stderr", ...stacks, ...viewer, query: logsQuery, answers: { 200: ['the log', 'text'], ...invalid, 404: e('no such stack, or no such container in this stack'), 502: e('Docker did not answer') } },
  'GET /api/v1/stacks/{id}/containers/{cid}/stats': { summary: "One sample of a container's CPU, memory, network, block I/O and process figures", ...stacks, ...viewer, answers: { 200: ['a sample', 'ContainerStats'], 404: e('no such stack, or no such container in this stack'), 502: e('Docker did not answer') } },
  'POST /api/v1/stacks/{id}/containers/{cid}/restart': { summary: 'Restart a container (stop with `t` seconds of grace, then start)', ...stacks, ...operator, query: restartQuery, answers: { 202: ['restarted', 'RestartAccepted'], ...invalid, 404: e('no such stack, or no such container in this stack'), 502: e('Docker did not answer') } },
  'POST /api/v1/stacks/{id}/rollback': { summary: 'Redeploy an earlier deployment (default: the last completed one), then pin the stack', ...stacks, ...operator, body: rollbackBody, answers: { 202: ['rollback queued', 'RollbackAccepted'], ...invalid, 404: e('no such stack or deployment'), 409: e('nothing to roll back to') } },
  'POST /api/v1/stacks/{id}/deployments/{deploymentId}/approve': { summary: 'Approve the plan a requires_approval stack waits with: its commit is diffed again and deployed under the same deployment', ...stacks, ...operator, answers: { 202: ['approved; deploying', 'ApprovalAccepted'], 404: e('no such stack or deployment'), 409: e('the deployment is not awaiting approval (or the stack is checking git again)') } },
  'POST /api/v1/stacks/{id}/deployments/{deploymentId}/reject': { summary: 'Reject the waiting plan (status rejected, the reason in error_message); nothing is deployed', ...stacks, ...operator, body: rejectBody, answers: { 200: ['the rejected deployment', 'Deployment'], ...invalid, 404: e('no such stack or deployment'), 409: e('the deployment is not awaiting approval (or the stack is checking git again)') } },
  'GET /api/v1/approvals': { summary: 'Deployments awaiting approval, oldest first (a limited key sees only its stacks)', tag: 'stacks', ...viewer, filtersByGrant: true, answers: { 200: ['deployments', 'Deployment[]'] } },
  'POST /api/v1/stacks/{id}/secrets': { summary: 'Store or rotate a secret that ${VAR} sees (write-only, sealed)', ...stacks, ...operator, body: secretBodySchema, answers: { 200: ['rotated', 'SecretStored'], 201: ['created', 'SecretStored'], ...invalid, ...notFound } },
  'GET /api/v1/stacks/{id}/secrets': { summary: "The names of the stack's secrets (never their values)", ...stacks, ...viewer, answers: { 200: ['secrets', 'StackSecret[]'], ...notFound } },
  'DELETE /api/v1/stacks/{id}/secrets/{name}': { summary: 'Delete a secret', ...stacks, ...operator, answers: { 204: ['deleted'], 404: e('no such stack or secret') } },
  'POST /api/v1/stacks/{id}/registries': { summary: 'Store or replace the credentials of one registry (sent only to that registry)', ...stacks, ...operator, body: registryBodySchema, answers: { 200: ['replaced', 'RegistryStored'], 201: ['created', 'RegistryStored'], ...invalid, ...notFound } },
  'GET /api/v1/stacks/{id}/registries': { summary: "The stack's registries and user names (never passwords)", ...stacks, ...viewer, answers: { 200: ['registries', 'StackRegistry[]'], ...notFound } },
  'DELETE /api/v1/stacks/{id}/registries/{server}': { summary: "Delete a registry's credentials", ...stacks, ...operator, answers: { 204: ['deleted'], 404: e('no such stack or registry') } },
  'GET /api/v1/machine': { summary: 'The stack state machine, as JSON or a mermaid stateDiagram-v2', tag: 'meta', ...viewer, filtersByGrant: true, query: formatQuery, answers: { 200: ['the machine', 'MachineDescription'], ...invalid } },
  'GET /api/v1/events': { summary: 'Server-Sent Events: transitions, deployment progress and ends, drift (a limited key sees only its stacks)', tag: 'events', ...viewer, filtersByGrant: true, query: eventsQuery, answers: { 200: ['text/event-stream', 'text'], ...invalid, ...notFound } },
  'GET /api/v1/supervisor': { summary: 'The supervisor: deploy slots in use, stack actors, restarts, parked stacks (not for a key limited to some stacks)', tag: 'meta', ...viewer, answers: { 200: ['figures', 'Supervisor'] } },
  'GET /api/v1/whoami': { summary: 'The name, role and stack grants of the calling key', tag: 'auth', ...viewer, filtersByGrant: true, answers: { 200: ['the caller', 'Whoami'] } },
  'GET /api/v1/images': { summary: 'Images the containers of stacks use, one entry per image and stack, with the containers using it', tag: 'resources', ...viewer, filtersByGrant: true, query: resourceQuery, answers: { 200: ['images', 'StackImage[]'], ...invalid, ...notFound, 502: e('Docker did not answer') } },
  'GET /api/v1/volumes': { summary: 'Volumes of stacks (labelled, and anonymous ones their containers mount), with the containers using them', tag: 'resources', ...viewer, filtersByGrant: true, query: resourceQuery, answers: { 200: ['volumes', 'StackVolume[]'], ...invalid, ...notFound, 502: e('Docker did not answer') } },
  'GET /api/v1/networks': { summary: 'Networks of stacks, with the containers attached', tag: 'resources', ...viewer, filtersByGrant: true, query: resourceQuery, answers: { 200: ['networks', 'StackNetwork[]'], ...invalid, ...notFound, 502: e('Docker did not answer') } },
  'POST /api/v1/admin/backup': { summary: 'A consistent copy of the database, taken online (SQLite file; restore it with `accelero restore FILE`)', tag: 'admin', ...admin, answers: { 200: ['the database file', 'text'], 500: e('the copy could not be written (the message says why, e.g. disk full)') } },
  'POST /api/v1/apikeys': { summary: 'Create an API key (shown once)', tag: 'auth', ...admin, body: createApiKeySchema, answers: { 201: ['created; `key` is shown only here', 'CreatedApiKey'], ...invalid, 409: e('name taken') } },
  'GET /api/v1/apikeys': { summary: 'List API keys (never the keys themselves)', tag: 'auth', ...admin, answers: { 200: ['keys', 'ApiKey[]'] } },
  'GET /api/v1/apikeys/{id}': { summary: 'Get an API key', tag: 'auth', ...admin, answers: { 200: ['the key', 'ApiKey'], 404: e('no such key') } },
  'PATCH /api/v1/apikeys/{id}': { summary: 'Disable a key (refused with 401 until enabled again) or enable it', tag: 'auth', ...admin, body: updateApiKeySchema, answers: { 200: ['the key', 'ApiKey'], ...invalid, 404: e('no such key') } },
  'DELETE /api/v1/apikeys/{id}': { summary: 'Revoke an API key', tag: 'auth', ...admin, answers: { 200: ['deleted', 'Status'], 404: e('no such key') } },
  'GET /api/v1/audit': { summary: 'Audit trail of mutations, newest first (an admin sees every entry, other keys those about their stacks)', tag: 'auth', ...viewer, filtersByGrant: true, query: auditQuerySchema, answers: { 200: ['entries', 'AuditEntry[]'], ...invalid } },
  'POST /api/v1/notifications': { summary: 'Create a notification channel (webhook, slack, discord, teams, email); its credentials are sealed and never answered', tag: 'notifications', ...admin, body: createChannelSchema, answers: { 201: ['created', 'NotificationChannel'], ...invalid, 409: e('name taken') } },
  'GET /api/v1/notifications': { summary: 'List notification channels (never their URLs, secrets or SMTP credentials)', tag: 'notifications', ...admin, answers: { 200: ['channels', 'NotificationChannel[]'] } },
  'GET /api/v1/notifications/{id}': { summary: 'Get a notification channel by id or name', tag: 'notifications', ...admin, answers: { 200: ['the channel', 'NotificationChannel'], 404: e('no such channel') } },
  'DELETE /api/v1/notifications/{id}': { summary: 'Delete a notification channel and its deliveries', tag: 'notifications', ...admin, answers: { 200: ['deleted', 'Status'], 404: e('no such channel') } },
  'GET /api/v1/notifications/{id}/deliveries': { summary: "The channel's deliveries, newest first, with their attempts and last error", tag: 'notifications', ...admin, query: limitQuery, answers: { 200: ['deliveries', 'NotificationDelivery[]'], ...invalid, 404: e('no such channel') } },
  'POST /api/v1/notifications/{id}/test': { summary: 'Send a test event to the channel (queued; see its deliveries)', tag: 'notifications', ...admin, answers: { 202: ['the test delivery, pending', 'NotificationDelivery'], 404: e('no such channel') } },
  'POST /webhook': { summary: 'Legacy webhook: deploy the named stack (signed with its secret, or an operator key when it has none)', tag: 'webhooks', ...signed, body: legacyWebhookSchema, answers: { 202: ['queued', 'DeployAccepted'], ...invalid, ...signature, 404: e('unknown stack (never a fallback)'), 409: e('delivery replayed') } },
  'POST /api/v1/webhook': { summary: 'Legacy webhook: deploy the named stack (signed with its secret, or an operator key when it has none)', tag: 'webhooks', ...signed, body: legacyWebhookSchema, answers: { 202: ['queued', 'DeployAccepted'], ...invalid, ...signature, 404: e('unknown stack (never a fallback)'), 409: e('delivery replayed') } },
  'POST /api/v1/webhooks/{provider}': {
    summary: 'Provider webhook (github, gitlab, gitea, bitbucket, generic): push events matched to stacks by repository URL and branch',
    tag: 'webhooks', ...signed, body: z.union([genericPushSchema, z.record(z.string(), z.unknown())]),
    answers: { 200: ['ping or non-push event answered', 'WebhookAnswered'], 202: ['push accepted', 'WebhookAccepted'], ...invalid, ...signature, 404: e('unknown provider'), 409: e('delivery replayed'), 413: e('body over 1 MiB') },
  },
} satisfies Record<string, RouteDoc>;

export type RouteKey = keyof typeof routeDocs;

export function routeDoc(key: string): RouteDoc | undefined {
  return (routeDocs as Record<string, RouteDoc>)[key];
}
