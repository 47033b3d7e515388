/**
 * @module The console's live stream, over a real socket: a signed-in user sees events as they are dispatched,
 * only those their role may read, and nobody without a valid session gets a stream at all.
 */
import type { AddressInfo } from 'node:net';
import { beforeAll, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { describeEachDialect } from '../../../test/harness';

interface LiveMessage {
  type: string;
  event?: { type: string; aggregate: { type: string; id: string }; channel_id: string | null; data: unknown };
}

/** Polls until `find` returns something, failing with `what` after a few seconds. */
async function eventually<T>(what: string, find: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeEachDialect('realtime stream', (t) => {
  let base = '';

  beforeAll(async () => {
    await t().omnis.app.listen({ port: 0, host: '127.0.0.1' });
    base = `ws://127.0.0.1:${(t().omnis.app.server.address() as AddressInfo).port}/v1/realtime`;
  });

  /** Opens the stream as a user and waits until the hub has taken them on. */
  const openStream = async (token: string) => {
    const socket = new WebSocket(`${base}?access_token=${encodeURIComponent(token)}`);
    const messages: LiveMessage[] = [];
    socket.on('message', (raw) => messages.push(JSON.parse(String(raw)) as LiveMessage));
    onTestFinished(() => {
      socket.terminate();
    });
    await eventually('the ready message', () => messages.find((m) => m.type === 'ready'));
    const events = () => messages.filter((m) => m.type === 'event').map((m) => m.event!);
    return {
      events,
      eventAbout: (type: string, id: string) =>
        eventually(`${type} ${id}`, () => events().find((e) => e.type === type && e.aggregate.id === id)),
    };
  };

  /** Opens a connection that should be turned away; resolves with the HTTP answer to the upgrade. */
  const refusedStream = (query: string) =>
    new Promise<{ status: number; body: { code?: string } }>((resolve, reject) => {
      const socket = new WebSocket(`${base}${query}`);
      socket.on('open', () => {
        socket.terminate();
        reject(new Error('the stream was opened'));
      });
      socket.on('unexpected-response', (_request, response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string },
          });
          socket.terminate();
        });
      });
      socket.on('error', (err) => reject(err));
    });

  const post = async (url: string, payload: object) => {
    const res = await t().omnis.app.inject({ method: 'POST', url, headers: await t().as('owner'), payload });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string };
  };

  it('shows a signed-in user a channel as soon as it is created', async () => {
    const stream = await openStream(await t().tokenFor('owner'));
    const channel = await post('/v1/channels', { kind: 'web', name: 'Outlet store' });
    await t().omnis.dispatcher.drain();

    const event = await stream.eventAbout('channel.created', channel.id);
    expect(event).toMatchObject({
      type: 'channel.created',
      aggregate: { type: 'channel', id: channel.id },
      channel_id: channel.id,
      data: { id: channel.id, kind: 'web', name: 'Outlet store' },
    });
  });

  it('shows API keys to an admin but not to an agent, who still sees channels', async () => {
    const agent = await openStream(await t().tokenFor('agent'));
    const admin = await openStream(await t().tokenFor('admin'));
    const key = await post('/v1/api-keys', { kind: 'secret', name: 'ERP export', role: 'analyst' });
    const channel = await post('/v1/channels', { kind: 'email', name: 'Support mailbox' });
    await t().omnis.dispatcher.drain();

    await admin.eventAbout('api_key.created', key.id);
    await admin.eventAbout('channel.created', channel.id);
    // The channel came after the key on the same socket: had the agent been sent the key, it would be here.
    await agent.eventAbout('channel.created', channel.id);
    expect(agent.events().map((e) => e.type)).not.toContain('api_key.created');
  });

  it('refuses a connection without a valid staff session', async () => {
    expect(await refusedStream('')).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    expect(await refusedStream('?access_token=ost_not-a-real-token')).toMatchObject({
      status: 401,
      body: { code: 'unauthenticated' },
    });

    const token = await t().tokenFor('agent');
    const signOut = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(signOut.statusCode).toBeLessThan(300);
    expect(await refusedStream(`?access_token=${token}`)).toMatchObject({ status: 401 });

    // The console stream is for people; a server's secret key is turned away.
    const secret = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: await t().as('owner'),
      payload: { kind: 'secret', name: 'Warehouse robot', role: 'admin' },
    });
    expect(await refusedStream(`?access_token=${(secret.json() as { key: string }).key}`)).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    });
  });

  it('closes an open stream once its user signs out', async () => {
    const token = await t().tokenFor('agent');
    const socket = new WebSocket(`${base}?access_token=${encodeURIComponent(token)}`);
    onTestFinished(() => {
      socket.terminate();
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => socket.on('message', () => resolve()));
    const logout = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(logout.statusCode).toBe(204);
    // The hub checks sessions again every realtimeRecheckMs (100 ms in tests).
    expect(await closed).toBe(4401);
  });
});
