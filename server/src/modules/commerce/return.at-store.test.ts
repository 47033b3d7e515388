/**
 * An online order comes back at a store's returns desk: every step taken there (received, inspected, exchanged,
 * refunded, completed) carries the store's channel, so the customer's timeline says where it happened, while the
 * request made online stays in the web channel. The exchange's new size is priced by priceCart in the store's
 * channel for this customer — a store price list the web does not have — and a till price that disagrees is
 * refused naming the field, with nothing claimed, reserved or charged.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { aLocation } from '../inventory/inventory.test-support';
import { eur, levelOf, posFixtures } from './checkout.test-support';
import { aShippedCardOrder, expectLedgerAndMoney } from './return.test-support';

describeEachDialect('returns at a store', (t) => {
  const f = posFixtures(t);
  const post = async (url: string, payload: Record<string, unknown>) =>
    t().omnis.app.inject({ method: 'POST', url, headers: await t().as('associate'), payload });

  it('an online order returned and exchanged at a store: events in the store channel, new size at the store price', async () => {
    const shop = await f.aStore([2000, 2000]);
    const [medium, large] = [shop.products[0]!, shop.products[1]!];
    // The store sells the large at 24.99 (its own price list); the web still says 20.00.
    await f.priceList({
      type: 'override',
      status: 'active',
      channel_ids: [shop.channel],
      prices: [{ variant_id: large.variant_id, currency: 'EUR', amount: 2499 }],
    });
    const customer = (await f.customer()).id;
    const { order } = await aShippedCardOrder(
      t(),
      { channel: { id: shop.web }, sku: medium.sku },
      shop.warehouse.id,
      customer,
    );
    const ret = await post('/v1/returns', {
      order_id: order.id,
      method: 'in_store',
      lines: [{ order_line_id: order.lines[0]!.id, quantity: 1, reason: 'wrong_size' }],
    });
    expect(ret.statusCode, ret.body).toBe(201);
    const id = ret.json().id as string;
    const lineId = ret.json().lines[0].id as string;
    expect((await post(`/v1/returns/${id}/receive`, { location_id: shop.store.id })).statusCode).toBe(200);

    // The associate's till still shows the web price: refused, naming the line's price; nothing claimed.
    const exchange = (extra: Record<string, unknown>) => ({
      lines: [
        {
          return_line_id: lineId,
          sku: large.sku,
          delivery: { mode: 'handover', location_id: shop.store.id },
          ...extra,
        },
      ],
    });
    const stale = await post(`/v1/returns/${id}/exchange`, {
      ...exchange({ unit_price: 2000 }),
      tenders: [],
    });
    expect(stale.statusCode, stale.body).toBe(422);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stale.json().errors).toEqual([
      { field: 'body.lines.0.unit_price', message: expect.stringContaining('costs 2499 here now') },
    ]);
    // Priced by the server: 24.99 − the returned 19.99 = 5.00 on top; tenders short of it are refused.
    const short = await post(`/v1/returns/${id}/exchange`, exchange({}));
    expect(short.statusCode).toBe(422);
    expect(short.json().errors[0].field).toBe('body.tenders');
    expect(Number((await levelOf(t(), large.sku, shop.store.id)).reserved)).toBe(0);
    const done = await post(`/v1/returns/${id}/exchange`, {
      ...exchange({ unit_price: 2499 }),
      tenders: [{ provider: 'cash', amount: 500, method: { tendered: 500 } }],
    });
    expect(done.statusCode, done.body).toBe(200);
    const replacement = await t().omnis.services.commerce.orders.retrieveOrder(done.json().exchange_order_id);
    expect(replacement).toMatchObject({ channel_id: shop.channel, source: 'pos' });
    expect(replacement.totals.total).toEqual(eur(2499));
    expect(replacement.lines[0]!.unit_price).toEqual(eur(2499));
    // The customer walks out with it: handed over by the exchange, as a POS sale hands over its lines.
    expect(replacement.fulfilments.map((x) => x.status)).toEqual(['handed_over']);

    await post(`/v1/returns/${id}/inspect`, { lines: [{ return_line_id: lineId, outcome: 'restock' }] });
    const closed = await post(`/v1/returns/${id}/refund`, { method: 'original_payment' });
    expect(closed.json()).toMatchObject({ status: 'completed' });

    const events = await f.eventsOf(id);
    expect(events.map((e) => [e.type, e.channel_id])).toEqual([
      ['return.requested', shop.web],
      ['return.received', shop.channel],
      ['exchange.created', shop.channel],
      ['return.inspected', shop.channel],
      ['return.refunded', shop.channel],
      ['return.completed', shop.channel],
    ]);
    expect(events.every((e) => e.customer_id === customer)).toBe(true);
    await expectLedgerAndMoney(t());
  });

  /** An online card order returned in store at `location`, inspected and refunded to the card there. */
  async function aCardReturnRefundedAt(shop: Awaited<ReturnType<typeof f.aStore>>, location: string) {
    const customer = (await f.customer()).id;
    const { order, card } = await aShippedCardOrder(
      t(),
      { channel: { id: shop.web }, sku: shop.products[0]!.sku },
      shop.warehouse.id,
      customer,
    );
    const ret = await post('/v1/returns', {
      order_id: order.id,
      method: 'in_store',
      lines: [{ order_line_id: order.lines[0]!.id, quantity: 1, reason: 'wrong_size' }],
    });
    expect(ret.statusCode, ret.body).toBe(201);
    const id = ret.json().id as string;
    expect((await post(`/v1/returns/${id}/receive`, { location_id: location })).statusCode).toBe(200);
    const lineId = ret.json().lines[0].id as string;
    const inspected = await post(`/v1/returns/${id}/inspect`, {
      lines: [{ return_line_id: lineId, outcome: 'restock' }],
    });
    expect(inspected.statusCode, inspected.body).toBe(200);
    const refunded = await post(`/v1/returns/${id}/refund`, { method: 'original_payment' });
    expect(refunded.json()).toMatchObject({ status: 'completed' });
    const timeline = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${customer}/timeline?limit=200`,
      headers: await t().as('agent'),
    });
    const entries = timeline.json().data as Array<{ type: string; channel_id: string | null }>;
    return { card, payment: await f.eventsOf(card.id), timeline: entries };
  }

  it('a return refunded at the Barcelona store: the card refund is announced in the store channel', async () => {
    const shop = await f.aStore([2000]);
    const barcelona = await aLocation(t(), {
      kind: 'store',
      channel_id: shop.channel,
      name: 'Barcelona Passeig de Gràcia',
    });
    const { card, payment, timeline } = await aCardReturnRefundedAt(shop, barcelona.id);
    // Taken online, given back at the store's counter.
    expect(payment.map((e) => [e.type, e.channel_id])).toEqual([
      ['payment.captured', shop.web],
      ['payment.refunded', shop.channel],
    ]);
    expect(timeline.filter((e) => e.type.startsWith('payment.'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'payment.captured', channel_id: shop.web }),
        expect.objectContaining({ type: 'payment.refunded', channel_id: shop.channel }),
      ]),
    );
    // The payment itself still belongs to the web channel.
    expect((await t().omnis.services.commerce.payments.retrievePayment(card.id)).channel_id).toBe(shop.web);
    await expectLedgerAndMoney(t());
  });

  it('a return refunded at the warehouse: the card refund stays in the order channel', async () => {
    const shop = await f.aStore([2000]);
    const { payment, timeline } = await aCardReturnRefundedAt(shop, shop.warehouse.id);
    expect(payment.map((e) => [e.type, e.channel_id])).toEqual([
      ['payment.captured', shop.web],
      ['payment.refunded', shop.web],
    ]);
    expect(timeline.find((e) => e.type === 'payment.refunded')?.channel_id).toBe(shop.web);
  });

  it('a parcel opened at the warehouse keeps the order channel', async () => {
    const shop = await f.aStore([2000]);
    const customer = (await f.customer()).id;
    const { order } = await aShippedCardOrder(
      t(),
      { channel: { id: shop.web }, sku: shop.products[0]!.sku },
      shop.warehouse.id,
      customer,
    );
    const ret = (
      await post('/v1/returns', {
        order_id: order.id,
        method: 'mail',
        lines: [{ order_line_id: order.lines[0]!.id, quantity: 1, reason: 'damaged' }],
      })
    ).json();
    await post(`/v1/returns/${ret.id}/receive`, { location_id: shop.warehouse.id });
    expect((await f.eventsOf(ret.id)).map((e) => e.channel_id)).toEqual([shop.web, shop.web]);
  });
});
