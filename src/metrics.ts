import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Prometheus metrics of the daemon (`accelero_*`), in one registry served by GET /metrics.
// The actors report through the functions below; the API layer records HTTP requests and
// webhook rejections itself.

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'accelero_process_' });

const deploymentsTotal = new Counter({
  name: 'accelero_deployments_total',
  help: 'Finished deployments by status (completed, failed, rolled_back, interrupted, skipped)',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

const deployDuration = new Histogram({
  name: 'accelero_deploy_duration_seconds',
  help: 'Duration of a deployment from start to its final status',
  labelNames: ['status'] as const,
  buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
  registers: [metricsRegistry],
});

const driftItems = new Gauge({
  name: 'accelero_drift_items',
  help: 'Drift items found by the last check of each stack, by drift type',
  labelNames: ['stack', 'type'] as const,
  registers: [metricsRegistry],
});

const deploySlotsInUse = new Gauge({
  name: 'accelero_deploy_slots_in_use',
  help: 'Deploys holding one of the MAX_CONCURRENT_DEPLOYS slots now',
  registers: [metricsRegistry],
});

const reconcileCycles = new Counter({
  name: 'accelero_reconcile_cycles_total',
  help: 'Reconcile cycles by outcome (in_sync, deployed, drift_recorded, failed)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

const httpRequests = new Counter({
  name: 'accelero_http_requests_total',
  help: 'HTTP requests by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

const httpDuration = new Histogram({
  name: 'accelero_http_request_duration_seconds',
  help: 'HTTP request duration by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

const webhookRejections = new Counter({
  name: 'accelero_webhook_rejections_total',
  help: 'Webhook deliveries refused, by provider and reason',
  labelNames: ['provider', 'reason'] as const,
  registers: [metricsRegistry],
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
