/**
 * Segment-compatible tracking as a business that already uses Segment sees it: point the real
 * `@segment/analytics-node` client at Omnis, and every identify, page and track lands on the right customer's
 * timeline — once, at the right time, with bad events refused one by one.
 */
import { Analytics } from '@segment/analytics-node';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';

interface Entry {
  id: string;
  occurred_at: string;
  kind: string;
  type: string;
  channel_id: string | null;
  source: 'tracking' | 'event';
  data: Record<string, unknown>;
}

/** What /v1/batch answers, or a problem's field errors. */
interface Answer {
  success?: boolean;
  accepted: number;
  duplicates: number;
  failed: Array<{
    index: number;
    message_id: string | null;
    errors: Array<{ field: string; message: string }>;
  }>;
  errors?: Array<{ field: string; message: string }>;
}

const unique = () => Math.random().toString(36).slice(2, 10);
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describeEachDialect('Segment-compatible tracking', (t) => {
  let base = '';
  let writeKey = '';
  let channelId = '';

  beforeAll(async () => {
    base = await t().omnis.app.listen({ host: '127.0.0.1', port: 0 });
    const { channels, apiKeys } = t().omnis.services;
    const channel = await channels.createChannel({ kind: 'web', name: `Web shop ${unique()}` }, systemActor);
    channelId = channel.id;
    writeKey = (
      await apiKeys.createApiKey(
        { kind: 'publishable', name: 'segment', channel_id: channel.id },
        systemActor,
      )
    ).key;
  });

  const client = (key = writeKey) =>
    new Analytics({ writeKey: key, host: base, flushAt: 50, flushInterval: 60_000, maxRetries: 0 });

  const send = async (path: string, body: unknown, key = writeKey) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(key) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Answer };
  };

  const customerBy = async (ctx: TestContext, q: string) => {
    const res = await ctx.omnis.app.inject({
      method: 'GET',
      url: `/v1/customers?q=${encodeURIComponent(q)}`,
      headers: await ctx.as('agent'),
    });
    expect(res.statusCode).toBe(200);
    return res.json().data as Array<{
      id: string;
      emails: string[];
      first_name: string | null;
      last_name: string | null;
      identifiers: Array<{ type: string; value: string }>;
    }>;
  };

  const timeline = async (id: string, query = '') => {
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${id}/timeline${query}`,
      headers: await t().as('agent'),
    });
    expect(res.statusCode).toBe(200);
    return res.json() as { customer_id: string; data: Entry[]; next_cursor: string | null };
  };
  const tracked = async (id: string) =>
    (await timeline(id, '?limit=200')).data.filter((e) => e.source === 'tracking');

  it('puts an identify and a later track from the Segment client on one customer', async () => {
    const u = unique();
    const analytics = client();
    analytics.identify({
      userId: `user-${u}`,
      traits: { email: `Ana.${u}@Shop.Example`, firstName: 'Ana', lastName: 'Lopez', plan: 'gold' },
    });
    analytics.track({
      userId: `user-${u}`,
      event: 'Order Completed',
      properties: { total: 42.5, currency: 'EUR' },
    });
    await analytics.closeAndFlush();

    const [customer, ...others] = await customerBy(t(), `ana.${u}@shop.example`);
    expect(others).toEqual([]);
    expect(customer).toMatchObject({
      emails: [`ana.${u}@shop.example`],
      first_name: 'Ana',
      last_name: 'Lopez',
    });
    expect(customer!.identifiers.map((i) => `${i.type}:${i.value}`).sort()).toEqual([
      `email:ana.${u}@shop.example`,
      `external_id:user-${u}`,
    ]);
    const entries = await tracked(customer!.id);
    expect(entries.map((e) => [e.kind, e.type])).toEqual([
      ['track', 'Order Completed'],
      ['identify', 'identify'],
    ]);
    expect(entries.every((e) => e.channel_id === channelId)).toBe(true);
    expect(entries[0]!.data).toMatchObject({
      user_id: `user-${u}`,
      properties: { total: 42.5, currency: 'EUR' },
    });
    // The client's library context is kept, and the caller's address stands in for the missing ip.
    expect(entries[1]!.data.context).toMatchObject({
      library: { name: '@segment/analytics-node' },
      ip: '127.0.0.1',
    });
    expect(entries[1]!.data.traits).toMatchObject({ plan: 'gold' });
  });

  it('lets an identify claim the anonymous visitor whose page views came earlier', async () => {
    const u = unique();
    const visits = client();
    visits.page({ anonymousId: `anon-${u}`, name: 'Home' });
    visits.page({
      anonymousId: `anon-${u}`,
      name: 'Pricing',
      category: 'Docs',
      properties: { path: '/pricing' },
    });
    await visits.closeAndFlush();

    const later = client();
    later.identify({
      anonymousId: `anon-${u}`,
      userId: `user-${u}`,
      traits: { email: `visitor.${u}@shop.example` },
    });
    await later.closeAndFlush();

    const found = await customerBy(t(), `visitor.${u}@shop.example`);
    expect(found).toHaveLength(1);
    expect(found[0]!.identifiers.map((i) => i.type).sort()).toEqual(['anonymous_id', 'email', 'external_id']);
    const entries = await tracked(found[0]!.id);
    expect(entries.map((e) => e.type)).toEqual(['identify', 'Pricing', 'Home']);
    expect(entries[1]!.data.properties).toEqual({ path: '/pricing', category: 'Docs' });
    // Nobody else holds the anonymous id: no second profile was left behind.
    expect(await customerBy(t(), `anon-${u}`)).toHaveLength(1);
  });

  it('merges the anonymous profile into the known one on alias', async () => {
    const u = unique();
    const first = client();
    first.page({ anonymousId: `anon-alias-${u}`, name: 'Landing' });
    first.identify({ userId: `member-${u}`, traits: { email: `member.${u}@shop.example` } });
    await first.closeAndFlush();
    const [member] = await customerBy(t(), `member.${u}@shop.example`);
    const [visitor] = await customerBy(t(), `anon-alias-${u}`);
    expect(visitor!.id).not.toBe(member!.id);

    const second = client();
    second.alias({ previousId: `anon-alias-${u}`, userId: `member-${u}` });
    await second.closeAndFlush();

    const [after] = await customerBy(t(), `anon-alias-${u}`);
    expect(after!.id).toBe(member!.id);
    const entries = await timeline(visitor!.id, '?limit=200');
    expect(entries.customer_id).toBe(member!.id);
    expect(entries.data.filter((e) => e.source === 'tracking').map((e) => e.kind)).toEqual([
      'alias',
      'identify',
      'page',
    ]);
    expect(entries.data.map((e) => e.type)).toContain('customer.merged');
  });

  it('counts a repeated messageId once, in one request or across requests', async () => {
    const u = unique();
    const event = { type: 'track', userId: `dup-${u}`, event: 'Clicked', messageId: `msg-${u}` };
    const first = await send('/v1/batch', { batch: [event, event] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ success: true, accepted: 1, duplicates: 1, failed: [] });
    const again = await send('/v1/batch', { batch: [event] });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    const single = await send('/v1/track', { userId: `dup-${u}`, event: 'Clicked', messageId: `msg-${u}` });
    expect(single.body).toMatchObject({ accepted: 0, duplicates: 1 });

    const [customer] = await customerBy(t(), `dup-${u}`);
    expect((await tracked(customer!.id)).map((e) => e.data.message_id)).toEqual([`msg-${u}`]);
  });

  it('keeps concurrent batches apart: each messageId once, each new person one profile, every sender its own answer', async () => {
    const u = unique();
    // 12 senders at once, each with 20 events: everyone sends the same 5 shared events (same messageIds) and
    // 15 of their own, about 30 people who are new to Omnis, some of them named by several senders.
    const shared = Array.from({ length: 5 }, (_, i) => ({
      type: 'track',
      anonymousId: `crowd-${u}-shared-${i}`,
      event: 'Viewed',
      messageId: `crowd-${u}-s${i}`,
    }));
    const batches = Array.from({ length: 12 }, (_, sender) => ({
      batch: [
        ...shared,
        ...Array.from({ length: 15 }, (_, i) => ({
          type: i % 3 === 0 ? 'identify' : 'track',
          ...(i % 3 === 0
            ? {
                userId: `crowd-${u}-${(sender + i) % 30}`,
                traits: { email: `crowd-${u}-${(sender + i) % 30}@example.com` },
              }
            : { userId: `crowd-${u}-${(sender * 7 + i) % 30}`, event: 'Clicked' }),
          messageId: `crowd-${u}-${sender}-${i}`,
        })),
      ],
    }));
    const answers = await Promise.all(batches.map((b) => send('/v1/batch', b)));
    expect(answers.map((a) => a.status)).toEqual(batches.map(() => 200));
    // The shared events land once, for whichever sender got there first; everything else is each sender's own.
    expect(answers.reduce((n, a) => n + a.body.accepted, 0)).toBe(5 + 12 * 15);
    expect(answers.reduce((n, a) => n + a.body.duplicates, 0)).toBe(11 * 5);
    for (const a of answers) expect(a.body.accepted).toBeGreaterThanOrEqual(15);

    const { db } = t().omnis.database;
    const holders = await db
      .selectFrom('customer_identifiers')
      .select(['type', 'value', 'customer_id'])
      .where('value', 'like', `crowd-${u}-%`)
      .execute();
    // One profile per person, however many senders named them at the same moment: a user id, its email and
    // every anonymous id sit on exactly one profile each.
    const userIds = holders.filter((h) => h.type === 'external_id').map((h) => h.value);
    expect(new Set(userIds).size).toBe(30);
    expect(userIds).toHaveLength(30);
    for (let p = 0; p < 30; p++) {
      const owners = holders.filter(
        (h) => h.value === `crowd-${u}-${p}` || h.value === `crowd-${u}-${p}@example.com`,
      );
      expect(new Set(owners.map((o) => o.customer_id)).size).toBe(1);
    }
    const stored = await db
      .selectFrom('tracking_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('message_id', 'like', `crowd-${u}-%`)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(5 + 12 * 15);
  });

  it('corrects a client clock that runs an hour ahead, keeping what the client sent', async () => {
    const u = unique();
    const hour = 3_600_000;
    const clientNow = Date.now() + hour;
    const before = Date.now();
    const res = await send('/v1/batch', {
      sentAt: new Date(clientNow).toISOString(),
      batch: [
        {
          type: 'track',
          userId: `skew-${u}`,
          event: 'Viewed',
          timestamp: new Date(clientNow - 5_000).toISOString(),
        },
      ],
    });
    expect(res.body.accepted).toBe(1);
    const [customer] = await customerBy(t(), `skew-${u}`);
    const [entry] = await tracked(customer!.id);
    const at = Date.parse(entry!.occurred_at);
    const { original_timestamp, sent_at, received_at } = entry!.data as Record<string, string>;
    expect(Date.parse(original_timestamp!)).toBe(clientNow - 5_000);
    expect(Date.parse(sent_at!)).toBe(clientNow);
    expect(at).toBe(Date.parse(original_timestamp!) + Date.parse(received_at!) - Date.parse(sent_at!));
    // Corrected to the server's clock: 5 s before it arrived, not an hour in the future.
    expect(at).toBe(Date.parse(received_at!) - 5_000);
    expect(at).toBeGreaterThanOrEqual(before - 5_000);
  });

  it('places events that arrive out of order by when they happened', async () => {
    const u = unique();
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    await send('/v1/batch', {
      batch: [{ type: 'track', userId: `ooo-${u}`, event: 'Third', timestamp: at(1) }],
    });
    await send('/v1/batch', {
      batch: [
        { type: 'track', userId: `ooo-${u}`, event: 'First', timestamp: at(30) },
        { type: 'track', userId: `ooo-${u}`, event: 'Second', timestamp: at(10) },
      ],
    });
    const [customer] = await customerBy(t(), `ooo-${u}`);
    expect((await tracked(customer!.id)).map((e) => e.type)).toEqual(['Third', 'Second', 'First']);
  });

  it('stores the good events of a batch and names each bad event’s field', async () => {
    const u = unique();
    const res = await send('/v1/batch', {
      batch: [
        { type: 'track', userId: `mixed-${u}`, event: 'Good One' },
        { type: 'identify', userId: `mixed-${u}`, traits: { email: 'not-an-email' } },
        { type: 'identify', userId: `mixed-${u}`, traits: { phone: '12' } },
        { type: 'track', anonymousId: `mixed-anon-${u}` },
        { type: 'teleport', userId: `mixed-${u}` },
        { type: 'page', name: 'Nobody' },
        { type: 'page', userId: `mixed-${u}`, name: 'Good Two', timestamp: 'yesterday-ish' },
        { type: 'page', userId: `mixed-${u}`, name: 'Good Two' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(
      res.body.failed.map((f: { index: number; errors: Array<{ field: string }> }) => [
        f.index,
        f.errors.map((e) => e.field),
      ]),
    ).toEqual([
      [1, ['batch.1.traits.email']],
      [2, ['batch.2.traits.phone']],
      [3, ['batch.3.event']],
      [4, ['batch.4.type']],
      [5, ['batch.5.userId']],
      [6, ['batch.6.timestamp']],
    ]);
    const [customer] = await customerBy(t(), `mixed-${u}`);
    expect((await tracked(customer!.id)).map((e) => e.type)).toEqual(['Good Two', 'Good One']);
    expect(await customerBy(t(), `mixed-anon-${u}`)).toEqual([]);
  });

  it('answers a single bad event with a 400 naming the field, and stores nothing', async () => {
    const u = unique();
    const res = await send('/v1/identify', { userId: `single-${u}`, traits: { email: 'nope@' } });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ field: 'body.traits.email', message: 'is not an email address' }]);
    expect(await customerBy(t(), `single-${u}`)).toEqual([]);
  });

  it('keeps to Segment’s size limits: 500 KB a batch, 32 KB an event', async () => {
    const u = unique();
    const big = 'x'.repeat(33 * 1024);
    const oversized = await send('/v1/batch', {
      batch: Array.from({ length: 20 }, (_, i) => ({
        type: 'track',
        userId: `big-${u}`,
        event: 'E',
        properties: { i, pad: big },
      })),
    });
    expect(oversized.status).toBe(413);
    expect(oversized.type).toContain('application/problem+json');
    const single = await send('/v1/track', { userId: `big-${u}`, event: 'E', properties: { pad: big } });
    expect(single.status).toBe(413);

    const mixed = await send('/v1/batch', {
      batch: [
        { type: 'track', userId: `big-${u}`, event: 'Too Big', properties: { pad: big } },
        { type: 'track', userId: `big-${u}`, event: 'Small' },
      ],
    });
    expect(mixed.status).toBe(200);
    expect(mixed.body).toMatchObject({ accepted: 1, failed: [{ index: 0, errors: [{ field: 'batch.0' }] }] });
    expect(await customerBy(t(), `big-${u}`)).toHaveLength(1);
  });

  it('refuses a wrong write key with 401, whatever client sends it', async () => {
    const u = unique();
    const statuses: number[] = [];
    const analytics = client('pk_live_not_a_real_key');
    analytics.on('http_response', (r) => statuses.push(r.status));
    analytics.track({ userId: `nokey-${u}`, event: 'Lost' });
    await analytics.closeAndFlush();
    expect(statuses).toEqual([401]);

    const batch = { batch: [{ type: 'track', userId: `nokey-${u}`, event: 'Lost' }] };
    for (const key of ['pk_unknown', 'sk_looks_secret', 'admin']) {
      const res = await send('/v1/batch', batch, key);
      expect(res.status).toBe(401);
      expect(res.type).toContain('application/problem+json');
    }
    const none = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    expect(none.status).toBe(401);
    expect(await customerBy(t(), `nokey-${u}`)).toEqual([]);
  });
});
