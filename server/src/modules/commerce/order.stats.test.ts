/**
 * The orders chart's numbers come from `GET /v1/orders/stats`, counted in SQL by calendar day of a time zone. On the
 * day Madrid moves its clocks forward (29 March 2026, a 23-hour day) orders just after local midnight and just
 * before the next one fall on the right local days — which UTC days would get wrong — and cancelled orders are left
 * out, counted, or counted alone as the filter says. Orders are placed through the orders service at those moments
 * (the clock is moved, not the rows).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { offsetAt, offsetSegments } from '../../platform/time/zone-days';
import type { CreateOrderInput } from './order.prepare';
import { aCustomer, aShop, line, post, testActor } from './order.test-support';

describe('zone days', () => {
  it('finds the DST changes of a zone to the millisecond', () => {
    const from = Date.parse('2026-03-28T00:00:00Z');
    const to = Date.parse('2026-10-31T00:00:00Z');
    expect(offsetSegments('Europe/Madrid', from, Date.parse('2026-11-01T12:00:00Z'))).toEqual([
      { from, to: Date.parse('2026-03-29T01:00:00Z'), offset: 3_600_000 },
      { from: Date.parse('2026-03-29T01:00:00Z'), to: Date.parse('2026-10-25T01:00:00Z'), offset: 7_200_000 },
      { from: Date.parse('2026-10-25T01:00:00Z'), to: Date.parse('2026-11-01T12:00:00Z'), offset: 3_600_000 },
    ]);
    expect(offsetSegments('Asia/Kolkata', from, to)).toEqual([{ from, to, offset: 19_800_000 }]);
    expect(offsetAt('America/New_York', Date.parse('2026-07-01T12:00:00Z'))).toBe(-4 * 3_600_000);
  });
});

describeEachDialect('order stats', (t) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /**
   * Places an order through the orders service (what `POST /v1/orders` calls) as if the clock said `at`. Only
   * `Date` is faked, and not around HTTP calls: a staff session touched in March would look idle since then.
   */
  async function placedAt(at: string, body: Omit<CreateOrderInput, 'source'>) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(at));
    try {
      return (await t().omnis.services.commerce.orders.placeOrder({ ...body, source: 'phone' }, testActor))
        .order;
    } finally {
      vi.useRealTimers();
    }
  }

  const stats = async (query: string) => {
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/orders/stats?${query}`,
      headers: await t().as('analyst'),
    });
    return res;
  };
  const counts = (body: { days: Array<{ date: string; orders: number }> }) =>
    body.days.map((d) => [d.date, d.orders]);

  it('buckets orders by Madrid calendar days across the spring DST change; cancelled ones only when asked', async () => {
    const shop = await aShop(t(), 20);
    const other = await aShop(t(), 20);
    const customer = await aCustomer(t());
    const order = (channel: { id: string }, store: { id: string }, sku: string, quantity = 1) => ({
      channel_id: channel.id,
      customer_id: customer,
      lines: [
        {
          ...line(sku, store.id, 'ship', quantity),
          delivery: { mode: 'ship' as const, location_id: store.id },
        },
      ],
    });
    const here = (quantity = 1) => order(shop.channel, shop.store, shop.sku, quantity);
    // 23:30 on the 28th in Madrid (UTC+1) … 00:30 on the 29th … 23:30 on the 29th (now UTC+2) … 00:30 on the 30th.
    await placedAt('2026-03-28T22:30:00Z', here());
    await placedAt('2026-03-28T23:30:00Z', here(2));
    await placedAt('2026-03-29T21:30:00Z', here());
    await placedAt('2026-03-29T22:30:00Z', here());
    // Another channel's order that day, and a cancelled one here.
    await placedAt('2026-03-29T10:00:00Z', order(other.channel, other.store, other.sku));
    const cancelled = await placedAt('2026-03-29T12:00:00Z', here(3));
    expect(
      (await post(t(), `/v1/orders/${cancelled.id}/cancel`, { reason: 'test' }, 'agent')).statusCode,
    ).toBe(200);

    const range = `from=2026-03-28&to=2026-03-30&channel_id=${shop.channel.id}`;
    const madrid = await stats(`${range}&tz=Europe/Madrid`);
    expect(madrid.statusCode, madrid.body).toBe(200);
    expect(counts(madrid.json())).toEqual([
      ['2026-03-28', 1],
      ['2026-03-29', 2],
      ['2026-03-30', 1],
    ]);
    expect(madrid.json().days[1]).toMatchObject({
      revenue: [{ amount: 3 * 1999, currency: 'EUR' }],
      channels: [{ channel_id: shop.channel.id, orders: 2 }],
    });
    expect(madrid.json().totals).toEqual({ orders: 4, revenue: [{ amount: 5 * 1999, currency: 'EUR' }] });

    // UTC days (the default zone) cut the same orders differently.
    expect(counts((await stats(range)).json())).toEqual([
      ['2026-03-28', 2],
      ['2026-03-29', 2],
      ['2026-03-30', 0],
    ]);
    // The cancelled order: counted when asked, or alone when filtered on.
    expect(counts((await stats(`${range}&tz=Europe/Madrid&include_cancelled=true`)).json())).toEqual([
      ['2026-03-28', 1],
      ['2026-03-29', 3],
      ['2026-03-30', 1],
    ]);
    const onlyCancelled = (await stats(`${range}&tz=Europe/Madrid&status=cancelled`)).json();
    expect(counts(onlyCancelled)).toEqual([
      ['2026-03-28', 0],
      ['2026-03-29', 1],
      ['2026-03-30', 0],
    ]);
    expect(onlyCancelled.totals.revenue).toEqual([{ amount: 3 * 1999, currency: 'EUR' }]);
    // Without a channel filter the other channel's order is there too, under its own channel.
    const all = (await stats('from=2026-03-29&to=2026-03-29&tz=Europe/Madrid')).json();
    expect(all.days[0].channels).toEqual(
      expect.arrayContaining([
        { channel_id: shop.channel.id, orders: 2 },
        { channel_id: other.channel.id, orders: 1 },
      ]),
    );
  });

  it('a bad zone or range names the field', async () => {
    const zone = await stats('tz=Mars/Olympus');
    expect(zone.statusCode).toBe(400);
    expect(zone.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(zone.json().errors).toEqual([{ field: 'query.tz', message: expect.any(String) }]);
    const backwards = await stats('from=2026-03-10&to=2026-03-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toBe('query.to');
    const long = await stats('from=2025-01-01&to=2026-03-01');
    expect(long.json().errors[0].field).toBe('query.to');
    const impossible = await stats('from=2026-02-30&to=2026-03-01');
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().errors[0].field).toMatch(/from/);
  });
});
