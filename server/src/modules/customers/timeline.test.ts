/**
 * The unified timeline as an agent reads it: everything a person did, in every channel and module, newest first,
 * page by page, filtered by channel or kind — and still whole after two profiles turn out to be one person.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { inTransaction } from '../../platform/db/transaction';

interface Entry {
  id: string;
  occurred_at: string;
  kind: string;
  type: string;
  channel_id: string | null;
  source: 'tracking' | 'event';
  summary: string;
  data: Record<string, unknown>;
}

const unique = () => Math.random().toString(36).slice(2, 10);
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describeEachDialect('customer timeline', (t) => {
  let web = { channel: '', key: '' };
  let store = { channel: '', key: '' };

  beforeAll(async () => {
    const { channels, apiKeys } = t().omnis.services;
    const make = async (kind: 'web' | 'store', name: string) => {
      const channel = await channels.createChannel({ kind, name }, systemActor);
      const key = await apiKeys.createApiKey(
        { kind: 'publishable', name, channel_id: channel.id },
        systemActor,
      );
      return { channel: channel.id, key: key.key };
    };
    web = await make('web', 'Web shop');
    store = await make('store', 'Store Madrid');
  });

  const batch = async (key: string, events: unknown[]) => {
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: basic(key) },
      payload: { batch: events },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().failed).toEqual([]);
  };

  /** Another module's domain event about the customer, as any module emits it. */
  const emit = (type: string, customerId: string, channelId: string | null) =>
    inTransaction(t().omnis.database.db, (trx) =>
      t().omnis.services.events.append(trx, {
        type,
        aggregate: { type: type.split('.')[0]!, id: `agg_${unique()}` },
        customerId,
        channelId,
        actor: systemActor,
        data: { total: { amount: 1999, currency: 'EUR' } },
      }),
    );

  const read = async (id: string, query = '') =>
    t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${id}/timeline${query}`,
      headers: await t().as('agent'),
    });
  const page = async (id: string, query = '') => {
    const res = await read(id, query);
    expect(res.statusCode).toBe(200);
    return res.json() as { customer_id: string; data: Entry[]; next_cursor: string | null };
  };
  const customerOf = async (q: string) => {
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers?q=${encodeURIComponent(q)}`,
      headers: await t().as('agent'),
    });
    return (res.json().data as Array<{ id: string }>)[0]!.id;
  };

  /** A shopper seen on the web and in a store, with an order and a message from other modules. */
  const shopper = async () => {
    const u = unique();
    await batch(web.key, [
      { type: 'page', anonymousId: `anon-${u}`, name: 'Home', timestamp: ago(180) },
      {
        type: 'identify',
        anonymousId: `anon-${u}`,
        userId: `cust-${u}`,
        timestamp: ago(170),
        traits: { email: `tl.${u}@shop.example` },
      },
      { type: 'track', userId: `cust-${u}`, event: 'Product Viewed', timestamp: ago(160) },
    ]);
    await batch(store.key, [
      { type: 'track', userId: `cust-${u}`, event: 'Store Visit', timestamp: ago(60) },
    ]);
    const id = await customerOf(`cust-${u}`);
    await emit('order.placed', id, store.channel);
    await emit('message.received', id, web.channel);
    return { u, id };
  };

  it('merges tracking and domain events newest first, each naming its channel', async () => {
    const { id } = await shopper();
    const { data } = await page(id);
    expect(data.map((e) => [e.source, e.kind, e.type])).toEqual([
      ['event', 'message', 'message.received'],
      ['event', 'order', 'order.placed'],
      ['event', 'customer', 'customer.created'],
      ['tracking', 'track', 'Store Visit'],
      ['tracking', 'track', 'Product Viewed'],
      ['tracking', 'identify', 'identify'],
      ['tracking', 'page', 'Home'],
    ]);
    const byType = Object.fromEntries(data.map((e) => [e.type, e]));
    expect(byType['Store Visit']!.channel_id).toBe(store.channel);
    expect(byType['Home']!.channel_id).toBe(web.channel);
    expect(byType['order.placed']).toMatchObject({
      channel_id: store.channel,
      summary: 'order placed',
      data: { customer_id: id, payload: { total: { amount: 1999, currency: 'EUR' } } },
    });
    const times = data.map((e) => Date.parse(e.occurred_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('pages through the whole timeline with the cursor, without gaps or repeats', async () => {
    const { id } = await shopper();
    const all = (await page(id)).data.map((e) => e.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const next = await page(id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(next.data.length).toBeLessThanOrEqual(2);
      walked.push(...next.data.map((e) => e.id));
      cursor = next.next_cursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(pages).toBe(4);
    expect(walked).toEqual(all);
  });

  it('filters by channel and by kind', async () => {
    const { id } = await shopper();
    const inStore = await page(id, `?channel=${store.channel}`);
    expect(inStore.data.map((e) => e.type)).toEqual(['order.placed', 'Store Visit']);
    expect((await page(id, '?kind=order')).data.map((e) => e.type)).toEqual(['order.placed']);
    expect((await page(id, '?kind=track')).data.map((e) => e.type)).toEqual([
      'Store Visit',
      'Product Viewed',
    ]);
    expect((await page(id, `?kind=page&channel=${store.channel}`)).data).toEqual([]);
  });

  it('keeps both profiles’ histories after a merge, also when read through the merged-away id', async () => {
    const u = unique();
    await batch(web.key, [
      { type: 'identify', userId: `m1-${u}`, timestamp: ago(50), traits: { email: `m.${u}@shop.example` } },
    ]);
    await batch(store.key, [
      {
        type: 'identify',
        userId: `m1-${u}`,
        timestamp: ago(40),
        traits: { phone: '+34612000111'.replace('111', String(100 + Math.floor(Math.random() * 899))) },
      },
    ]);
    await batch(store.key, [
      { type: 'track', anonymousId: `kiosk-${u}`, event: 'Coupon Printed', timestamp: ago(30) },
    ]);
    const survivor = await customerOf(`m1-${u}`);
    const other = await customerOf(`kiosk-${u}`);
    expect(other).not.toBe(survivor);
    await batch(store.key, [
      { type: 'alias', previousId: `kiosk-${u}`, userId: `m1-${u}`, timestamp: ago(20) },
    ]);

    const viaOld = await page(other);
    expect(viaOld.customer_id).toBe(survivor);
    const tracking = viaOld.data.filter((e) => e.source === 'tracking');
    expect(tracking.map((e) => e.type)).toEqual(['alias', 'Coupon Printed', 'identify', 'identify']);
    expect(new Set(tracking.map((e) => e.data.customer_id))).toEqual(new Set([survivor, other]));
    expect(viaOld.data.map((e) => e.type)).toContain('customer.merged');
  });

  it('answers an unknown customer with 404 and a forged cursor with 400', async () => {
    const unknown = await read('cus_nobody');
    expect(unknown.statusCode).toBe(404);
    const { id } = await shopper();
    const forged = await read(id, '?cursor=bm90LWEtY3Vyc29y');
    expect(forged.statusCode).toBe(400);
    expect(forged.json().errors).toEqual([{ field: 'query.cursor', message: 'is not a valid cursor' }]);
    const badKind = await read(id, '?kind=Order!');
    expect(badKind.statusCode).toBe(400);
  });

  it('is for staff who may read customers', async () => {
    const { id } = await shopper();
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${id}/timeline`,
      headers: { authorization: `Bearer ${web.key}` },
    });
    expect(res.statusCode).toBe(403);
  });
});
