/**
 * @module Webhooks as an integrator sees them: a real HTTP receiver gets signed Standard Webhooks deliveries
 * for the event types it subscribed to, failures are retried on the schedule and logged attempt by attempt,
 * and a delivery can be sent again on request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expect, it, onTestFinished } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { newWebhookSecret } from './webhooks.service';

interface ReceivedRequest {
  headers: Record<string, string>;
  body: string;
}

/** An HTTP server on a free local port that answers with `statuses` in turn, then 200; closed after the test. */
async function startReceiver(statuses: number[] = []) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string') headers[name] = value;
      requests.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = statuses.shift() ?? 200;
      res
        .writeHead(status, { 'content-type': 'text/plain' })
        .end(status < 300 ? 'thanks' : 'try again later');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/omnis`, requests };
}

/** Waits until the clock has passed an ISO time (a delivery's next attempt). */
async function until(iso: string | null): Promise<void> {
  const due = Date.parse(iso ?? '');
  expect(due).not.toBeNaN();
  while (Date.now() <= due) await new Promise((resolve) => setTimeout(resolve, due - Date.now() + 1));
}

interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
}

describeEachDialect('webhooks', (t) => {
  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t().omnis.app.inject({ method, url, headers: await t().as('owner'), ...(payload ? { payload } : {}) });

  /** Runs the dispatcher (which turns events into deliveries) and sends what is due. */
  const settle = async () => {
    await t().omnis.dispatcher.drain();
    await t().omnis.webhookSender.drain();
  };

  /** An endpoint that sees only events from now on; deleted after the test. */
  const createEndpoint = async (url: string, eventTypes: string[]) => {
    await settle();
    const res = await api('POST', '/v1/webhooks', { url, event_types: eventTypes, description: 'ERP sync' });
    expect(res.statusCode).toBe(201);
    const endpoint = res.json() as { id: string; secret: string };
    onTestFinished(async () => {
      await api('DELETE', `/v1/webhooks/${endpoint.id}`);
    });
    return endpoint;
  };

  const createChannel = async (name: string) => {
    const res = await api('POST', '/v1/channels', { kind: 'web', name });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string };
  };

  const deliveriesOf = async (endpointId: string) => {
    const res = await api('GET', `/v1/webhooks/${endpointId}/deliveries`);
    expect(res.statusCode).toBe(200);
    return (res.json() as { data: Delivery[] }).data;
  };

  const onlyDelivery = async (endpointId: string) => {
    const deliveries = await deliveriesOf(endpointId);
    expect(deliveries).toHaveLength(1);
    return deliveries[0]!;
  };

  const deliveryDetail = async (endpointId: string, deliveryId: string) => {
    const res = await api('GET', `/v1/webhooks/${endpointId}/deliveries/${deliveryId}`);
    expect(res.statusCode).toBe(200);
    return res.json() as Delivery & {
      payload: { type: string };
      attempt_log: Array<{ status_code: number | null; error: string | null; response_body: string | null }>;
    };
  };

  it('shows the signing secret once, when the endpoint is created', async () => {
    const res = await api('POST', '/v1/webhooks', {
      url: 'https://erp.example.com/omnis',
      event_types: ['channel.created'],
    });
    expect(res.statusCode).toBe(201);
    const { id, secret } = res.json() as { id: string; secret: string };
    onTestFinished(async () => {
      await api('DELETE', `/v1/webhooks/${id}`);
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const retrieved = await api('GET', `/v1/webhooks/${id}`);
    expect(retrieved.statusCode).toBe(200);
    expect(retrieved.json()).toMatchObject({ id, url: 'https://erp.example.com/omnis', active: true });
    expect(retrieved.json()).not.toHaveProperty('secret');
    expect(retrieved.body).not.toContain(secret);

    const list = await api('GET', '/v1/webhooks');
    expect((list.json() as { data: Array<{ id: string }> }).data.map((e) => e.id)).toContain(id);
    expect(list.body).not.toContain(secret);

    // Nor does it travel in the endpoint's own event, which webhooks and the live stream pass on.
    const events = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .selectAll()
      .where('aggregate_id', '=', id)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['webhook_endpoint.created']);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('posts a new channel to the endpoint, signed so the receiver can verify it', async () => {
    const receiver = await startReceiver();
    const endpoint = await createEndpoint(receiver.url, ['channel.created']);
    const channel = await createChannel('Flagship web shop');
    await settle();

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.headers['content-type']).toBe('application/json');
    const payload = new Webhook(endpoint.secret).verify(request!.body, request!.headers) as {
      type: string;
      timestamp: string;
      data: { id: string; type: string; aggregate: { type: string; id: string }; data: { name: string } };
    };
    expect(payload).toMatchObject({
      type: 'channel.created',
      data: {
        type: 'channel.created',
        aggregate: { type: 'channel', id: channel.id },
        channel_id: channel.id,
        actor: { type: 'staff' },
        data: { id: channel.id, kind: 'web', name: 'Flagship web shop' },
      },
    });
    expect(payload.data).not.toHaveProperty('position');

    const event = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select('id')
      .where('aggregate_id', '=', channel.id)
      .where('type', '=', 'channel.created')
      .executeTakeFirstOrThrow();
    expect(request!.headers['webhook-id']).toBe(event.id);
    expect(payload.data.id).toBe(event.id);

    // Anyone without the secret cannot forge or alter a delivery.
    expect(() => new Webhook(newWebhookSecret()).verify(request!.body, request!.headers)).toThrow();
    const altered = request!.body.replace('Flagship web shop', 'Phishing web shop');
    expect(() => new Webhook(endpoint.secret).verify(altered, request!.headers)).toThrow();

    expect(await onlyDelivery(endpoint.id)).toMatchObject({
      event_id: event.id,
      event_type: 'channel.created',
      status: 'succeeded',
      attempts: 1,
      last_status_code: 200,
      next_attempt_at: null,
    });
  });

  it('sends an endpoint only the event types it subscribed to', async () => {
    const receiver = await startReceiver();
    const endpoint = await createEndpoint(receiver.url, ['channel.updated']);
    const channel = await createChannel('Summer pop-up');
    const renamed = await api('PATCH', `/v1/channels/${channel.id}`, { name: 'Winter pop-up' });
    expect(renamed.statusCode).toBe(200);
    await settle();

    expect(receiver.requests.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
      'channel.updated',
    ]);
    expect((await deliveriesOf(endpoint.id)).map((d) => d.event_type)).toEqual(['channel.updated']);
  });

  it('retries a delivery the receiver refused and logs every attempt', async () => {
    const receiver = await startReceiver([500]);
    const endpoint = await createEndpoint(receiver.url, ['channel.created']);
    await createChannel('Call centre');
    await settle();

    const first = await onlyDelivery(endpoint.id);
    expect(first).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500',
    });
    expect(first.next_attempt_at).not.toBeNull();

    await until(first.next_attempt_at);
    await t().omnis.webhookSender.drain();

    const detail = await deliveryDetail(endpoint.id, first.id);
    expect(detail).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      last_status_code: 200,
      last_error: null,
    });
    expect(detail.next_attempt_at).toBeNull();
    expect(detail.payload.type).toBe('channel.created');
    expect(detail.attempt_log).toMatchObject([
      { status_code: 500, error: 'HTTP 500', response_body: 'try again later' },
      { status_code: 200, error: null, response_body: 'thanks' },
    ]);

    // The same webhook-id both times, so the receiver can tell a retry from a new event.
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]!.headers['webhook-id']).toBe(receiver.requests[0]!.headers['webhook-id']);
    for (const r of receiver.requests)
      expect(() => new Webhook(endpoint.secret).verify(r.body, r.headers)).not.toThrow();
  });

  it('gives up when the retry schedule runs out, and sends again on request', async () => {
    const tries = t().omnis.config.webhookRetryScheduleMs.length + 1;
    const receiver = await startReceiver(Array.from({ length: tries }, () => 503));
    const endpoint = await createEndpoint(receiver.url, ['channel.created']);
    await createChannel('Marketplace');
    await settle();

    let delivery = await onlyDelivery(endpoint.id);
    for (let i = 0; i < tries && delivery.status === 'pending'; i++) {
      await until(delivery.next_attempt_at);
      await t().omnis.webhookSender.drain();
      delivery = await onlyDelivery(endpoint.id);
    }
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: tries,
      last_status_code: 503,
      next_attempt_at: null,
    });
    expect(receiver.requests).toHaveLength(tries);
    expect((await deliveryDetail(endpoint.id, delivery.id)).attempt_log.map((a) => a.status_code)).toEqual(
      Array.from({ length: tries }, () => 503),
    );

    await t().omnis.webhookSender.drain();
    expect(receiver.requests).toHaveLength(tries); // a failed delivery stays put until someone asks

    const redeliver = await api('POST', `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`);
    expect(redeliver.statusCode).toBe(202);
    expect(redeliver.json()).toMatchObject({ id: delivery.id, status: 'pending' });
    await t().omnis.webhookSender.drain();

    const detail = await deliveryDetail(endpoint.id, delivery.id);
    expect(detail).toMatchObject({ status: 'succeeded', attempts: tries + 1, last_status_code: 200 });
    expect(detail.attempt_log.map((a) => a.status_code)).toEqual([
      ...Array.from({ length: tries }, () => 503),
      200,
    ]);
    expect(receiver.requests).toHaveLength(tries + 1);
  });

  it('rejects unknown event types and non-http URLs, naming the field', async () => {
    const count = async () => (await api('GET', '/v1/webhooks')).json().data.length as number;
    const before = await count();

    const unknownType = await api('POST', '/v1/webhooks', {
      url: 'https://erp.example.com/omnis',
      event_types: ['channel.created', 'order.teleported'],
    });
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.headers['content-type']).toContain('application/problem+json');
    expect(unknownType.json().errors).toEqual([
      { field: 'body.event_types', message: '"order.teleported" is not an event type' },
    ]);

    for (const url of ['ftp://erp.example.com/omnis', 'erp.example.com/omnis', 'javascript:alert(1)']) {
      const res = await api('POST', '/v1/webhooks', { url, event_types: ['channel.created'] });
      expect(res.statusCode).toBe(400);
      expect((res.json().errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['body.url']);
    }
    expect(await count()).toBe(before);
  });

  it('forgets the delivery log of a deleted endpoint', async () => {
    const receiver = await startReceiver([500]);
    const endpoint = await createEndpoint(receiver.url, ['channel.created']);
    await createChannel('Kiosk');
    await settle();
    const delivery = await onlyDelivery(endpoint.id);
    expect(delivery.attempts).toBe(1);

    const deleted = await api('DELETE', `/v1/webhooks/${endpoint.id}`);
    expect(deleted.statusCode).toBe(204);

    expect((await api('GET', `/v1/webhooks/${endpoint.id}`)).statusCode).toBe(404);
    expect((await api('GET', `/v1/webhooks/${endpoint.id}/deliveries`)).statusCode).toBe(404);
    expect((await api('GET', `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}`)).statusCode).toBe(404);
    expect(
      (await api('POST', `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`)).statusCode,
    ).toBe(404);
    const db = t().omnis.database.db;
    expect(
      await db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint.id).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('webhook_attempts').select('id').where('delivery_id', '=', delivery.id).execute(),
    ).toEqual([]);

    // Nothing is left to retry: the receiver hears no more.
    await until(delivery.next_attempt_at);
    await t().omnis.webhookSender.drain();
    expect(receiver.requests).toHaveLength(1);
  });

  it('holds deliveries for a paused endpoint and sends them once it is active again', async () => {
    const receiver = await startReceiver();
    const endpoint = await createEndpoint(receiver.url, ['channel.created']);
    expect((await api('PATCH', `/v1/webhooks/${endpoint.id}`, { active: false })).statusCode).toBe(200);
    // Paused before the event: no delivery is made for it at all.
    await createChannel('While paused');
    await settle();
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
    // Paused with a delivery already pending: it waits.
    expect((await api('PATCH', `/v1/webhooks/${endpoint.id}`, { active: true })).statusCode).toBe(200);
    await createChannel('Queued');
    await t().omnis.dispatcher.drain();
    expect((await api('PATCH', `/v1/webhooks/${endpoint.id}`, { active: false })).statusCode).toBe(200);
    await t().omnis.webhookSender.drain();
    expect(receiver.requests).toHaveLength(0);
    expect((await onlyDelivery(endpoint.id)).status).toBe('pending');
    expect((await api('PATCH', `/v1/webhooks/${endpoint.id}`, { active: true })).statusCode).toBe(200);
    await t().omnis.webhookSender.drain();
    expect(receiver.requests).toHaveLength(1);
    expect((await onlyDelivery(endpoint.id)).status).toBe('succeeded');
  });

  it('does not send an endpoint events from before it existed, even when dispatch runs behind', async () => {
    await settle();
    await createChannel('Before the endpoint');
    // The dispatcher has not run yet when the endpoint is created.
    const receiver = await startReceiver();
    const res = await api('POST', '/v1/webhooks', { url: receiver.url, event_types: ['channel.created'] });
    const endpoint = res.json() as { id: string };
    onTestFinished(async () => {
      await api('DELETE', `/v1/webhooks/${endpoint.id}`);
    });
    await createChannel('After the endpoint');
    await settle();
    const payloads = receiver.requests.map((r) => JSON.parse(r.body) as { data: { data: { name: string } } });
    expect(payloads.map((p) => p.data.data.name)).toEqual(['After the endpoint']);
  });

  it('keeps staff names and URLs out of event payloads', async () => {
    const receiver = await startReceiver();
    const endpoint = await createEndpoint(receiver.url, ['*']);
    await api('POST', '/v1/webhooks', {
      url: 'https://hooks.example.com/T000/B000/very-secret-token',
      event_types: ['*'],
    });
    await settle();
    const bodies = receiver.requests.map((r) => r.body).join('\n');
    expect(bodies).toContain('webhook_endpoint.created');
    expect(bodies).not.toContain('very-secret-token');
    expect(bodies).not.toContain('Test owner');
    const actor = (JSON.parse(receiver.requests[0]!.body) as { data: { actor: object } }).data.actor;
    expect(Object.keys(actor).sort()).toEqual(['id', 'type']);
    expect(endpoint.id).toMatch(/^whe_/);
  });
});
