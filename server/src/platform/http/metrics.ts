/**
 * @module Prometheus metrics: per-route latency histograms and the outbox lag. One registry per app, so tests
 * that build several apps do not share counters.
 */
import type { FastifyInstance } from 'fastify';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsSources {
  outboxLag(): Promise<number>;
  pendingWebhookDeliveries(): Promise<number>;
  realtimeConnections(): number;
}

export function installMetrics(app: FastifyInstance, sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'omnis_' });
  const latency = new Histogram({
    name: 'omnis_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'omnis_outbox_lag_events',
    help: 'Events appended but not yet handled by the slowest durable consumer',
    registers: [registry],
    async collect() {
      this.set(await sources.outboxLag());
    },
  });
  new Gauge({
    name: 'omnis_webhook_deliveries_pending',
    help: 'Webhook deliveries waiting to be sent or retried',
    registers: [registry],
    async collect() {
      this.set(await sources.pendingWebhookDeliveries());
    },
  });
  new Gauge({
    name: 'omnis_realtime_connections',
    help: 'Open console WebSocket connections on this process',
    registers: [registry],
    collect() {
      this.set(sources.realtimeConnections());
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the raw URL, keeps label cardinality bounded.
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  return registry;
}
