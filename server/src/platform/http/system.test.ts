/** What an operator and an integrator see: health, readiness, metrics and the API reference. */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';

describeEachDialect('operations endpoints', (t) => {
  it('reports liveness and readiness', async () => {
    const health = await t().omnis.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await t().omnis.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await t().omnis.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/channels', '/v1/channels/{id}', '/v1/webhooks/{id}/deliveries', '/v1/me']),
    );
    const create = doc.paths['/v1/channels'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['kind', 'name']),
    );
    expect(create.responses['201']).toBeDefined();
    const docs = await t().omnis.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('exposes per-route latency histograms and the outbox lag to Prometheus', async () => {
    await t().omnis.app.inject({ method: 'GET', url: '/v1/channels', headers: await t().as('owner') });
    const res = await t().omnis.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/omnis_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/channels"/);
    expect(res.body).toMatch(/omnis_outbox_lag_events \d+/);
  });

  it('echoes a request id on every response', async () => {
    const res = await t().omnis.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['x-request-id']).toMatch(/^req_/);
  });
});
