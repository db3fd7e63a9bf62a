import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Prometheus metrics of the daemon (`accelero_*`), in one registry served by GET /metrics.
// The actors report through the functions below; the API layer records HTTP requests and
// webhook rejections itself.

export const metricsRegistry = new Registry();
const registered = { registers: [metricsRegistry] };
collectDefaultMetrics({ register: metricsRegistry, prefix: 'accelero_process_' });

const deploymentsTotal = new Counter({
  ...registered, name: 'accelero_deployments_total', labelNames: ['status'] as const,
  help: 'Finished deployments by status (completed, failed, rolled_back, interrupted, skipped)',
});

const deployDuration = new Histogram({
  ...registered, name: 'accelero_deploy_duration_seconds', labelNames: ['status'] as const, buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
  help: 'Duration of a deployment from start to its final status',
});

const driftItems = new Gauge({
  ...registered, name: 'accelero_drift_items', labelNames: ['stack', 'type'] as const,
  help: 'Drift items found by the last check of each stack, by drift type',
});

const deploySlotsInUse = new Gauge({
  ...registered, name: 'accelero_deploy_slots_in_use',
  help: 'Deploys holding one of the MAX_CONCURRENT_DEPLOYS slots now',
});

const reconcileCycles = new Counter({
  ...registered, name: 'accelero_reconcile_cycles_total', labelNames: ['outcome'] as const,
  help: 'Reconcile cycles by outcome (in_sync, deployed, drift_recorded, failed)',
});

const httpRequests = new Counter({
  ...registered, name: 'accelero_http_requests_total', labelNames: ['method', 'route', 'status'] as const,
  help: 'HTTP requests by method, route pattern and status code',
});

const httpDuration = new Histogram({
  ...registered, name: 'accelero_http_request_duration_seconds', labelNames: ['method', 'route'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  help: 'HTTP request duration by method and route pattern',
});

const webhookRejections = new Counter({
  ...registered, name: 'accelero_webhook_rejections_total', labelNames: ['provider', 'reason'] as const,
  help: 'Webhook deliveries refused, by provider and reason',
});

/** A deployment reached its final status after `seconds`. */
export function recordDeploymentFinished(status: string, seconds: number): void {
  deploymentsTotal.inc({ status });
  deployDuration.observe({ status }, seconds);
}

/** The drift found by the last check of a stack: the count per drift type replaces the old one. */
export function recordDrift(stack: string, types: readonly string[]): void {
  const counts = countBy(types);
  for (const type of new Set([...knownDriftTypes, ...counts.keys()])) driftItems.set({ stack, type }, counts.get(type) ?? 0);
}

/** A stack was deleted: its drift series go away. */
export function forgetStackMetrics(stack: string): void {
  for (const type of knownDriftTypes) driftItems.remove({ stack, type });
}

export function recordDeploySlotsInUse(count: number): void {
  deploySlotsInUse.set(count);
}

export function recordReconcileCycle(outcome: string): void {
  reconcileCycles.inc({ outcome });
}

export function recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
  httpRequests.inc({ method, route, status: String(status) });
  httpDuration.observe({ method, route }, seconds);
}

export function recordWebhookRejection(provider: string, reason: string): void {
  webhookRejections.inc({ provider, reason });
}

const knownDriftTypes = ['missing', 'image_mismatch', 'stopped', 'unhealthy', 'extra', 'config_changed'];

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
