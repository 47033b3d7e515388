/**
 * Reserve and try in store: a shopper reserves her cart at a store that has it, pays nothing online, and at the
 * store either buys what she keeps (paying exactly that, the rest back on sale) or nothing (released); a hold that
 * ends unsold releases itself. Refusals name the field and change nothing.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { aLocation, allocate } from '../inventory/inventory.test-support';
import { levelOf, posFixtures } from './checkout.test-support';
import { post } from './order.test-support';

describeEachDialect('reserve and try in store', (t) => {
  const f = posFixtures(t);

  /** A store (own POS channel) holding 5 of a €20 tee and a €35 shirt, sold on the web too; a cart with one of each. */
  async function aReservation() {
    const shop = await f.aStore([2000, 3500]);
    const key = await f.storeKey(shop.web);
    const [tee, shirt] = shop.products.map((p) => p.sku) as [string, string];
    const cart = await f.aCart(key, [
      { sku: tee, quantity: 1 },
      { sku: shirt, quantity: 1 },
    ]);
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: `/store/v1/carts/${cart.id}/reserve-in-store`,
      headers: cart.headers,
      payload: { location_id: shop.store.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = await t().omnis.services.commerce.orders.retrieveOrder(res.json().order.id);
    return { ...shop, key, tee, shirt, cart, body: res.json(), order, fulfilment: order.fulfilments[0]! };
  }

  const counters = async (sku: string, locationId: string) => {
    const l = await levelOf(t(), sku, locationId);
    return { on_hand: Number(l.on_hand), reserved: Number(l.reserved) };
  };
  const paymentsOf = (orderId: string) =>
    t().omnis.database.db.selectFrom('payments').selectAll().where('order_id', '=', orderId).execute();
  const sell = async (fulfilmentId: string, payload: Record<string, unknown>) =>
    t().omnis.app.inject({
      method: 'POST',
      url: `/v1/fulfilments/${fulfilmentId}/sell`,
      headers: { ...(await t().as('associate')), 'idempotency-key': `sell-${Math.random()}` },
      payload,
    });
  const eventsOf = (orderId: string, type: string) =>
    t()
      .omnis.database.db.selectFrom('outbox_events')
      .selectAll()
      .where('aggregate_id', '=', orderId)
      .where('type', '=', type)
      .execute();

  it('a shopper reserves two items to try, keeps one and pays only for it at the store; the other goes back on sale', async () => {
    const r = await aReservation();
    // Held at the store, nothing paid, until 48 hours from now.
    expect(r.body.order.status).toBe('pending_payment');
    const holdMs = t().omnis.config.reserveInStoreHoldMs;
    expect(holdMs).toBe(48 * 3_600_000);
    expect(Date.parse(r.body.hold_until)).toBeGreaterThan(Date.now() + holdMs - 60_000);
    expect(r.fulfilment).toMatchObject({
      mode: 'reserve_in_store',
      status: 'held',
      location_id: r.store.id,
      hold_until: r.body.hold_until,
    });
    expect(r.order.lines.map((l) => l.delivery.mode)).toEqual(['reserve_in_store', 'reserve_in_store']);
    expect(r.order.totals.shipping.amount).toBe(0);
    expect(await paymentsOf(r.order.id)).toEqual([]);
    expect(await counters(r.tee, r.store.id)).toEqual({ on_hand: 5, reserved: 1 });
    expect(await counters(r.shirt, r.store.id)).toEqual({ on_hand: 5, reserved: 1 });

    // The desk lists it as reserved to try.
    const desk = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/fulfilments?location_id=${r.store.id}&mode=reserve_in_store&status=held`,
      headers: await t().as('associate'),
    });
    expect(desk.json().data.map((d: { id: string }) => d.id)).toEqual([r.fulfilment.id]);

    // She keeps the tee. Paying less than its price is refused, naming the tenders; nothing changes.
    const teeLine = r.order.lines.find((l) => l.sku === r.tee)!;
    const due = teeLine.total.amount;
    const short = await sell(r.fulfilment.id, {
      keep_line_ids: [teeLine.id],
      tenders: [{ provider: 'cash', amount: due - 1, method: { tendered: due - 1 } }],
    });
    expect(short.statusCode).toBe(400);
    expect(short.headers['content-type']).toContain('application/problem+json');
    expect(short.json().errors).toEqual([
      expect.objectContaining({ field: 'body.tenders', message: expect.stringContaining(String(due)) }),
    ]);
    expect(await paymentsOf(r.order.id)).toEqual([]);
    expect(
      await t()
        .omnis.database.db.selectFrom('payments')
        .selectAll()
        .where('order_id', 'is', null)
        .where('channel_id', '=', r.channel)
        .execute(),
    ).toEqual([]);
    expect((await t().omnis.services.commerce.fulfilments.retrieveFulfilment(r.fulfilment.id)).status).toBe(
      'held',
    );
    expect(await counters(r.shirt, r.store.id)).toEqual({ on_hand: 5, reserved: 1 });

    // Split tender: card terminal and cash, exactly the tee's priced total.
    const sold = await sell(r.fulfilment.id, {
      keep_line_ids: [teeLine.id],
      tenders: [
        { provider: 'card_terminal', amount: 1000, method: { approval_code: 'A1' } },
        { provider: 'cash', amount: due - 1000, method: { tendered: 2000 } },
      ],
    });
    expect(sold.statusCode, sold.body).toBe(200);
    const after = sold.json().order;
    expect(after.status).toBe('completed');
    expect(after.totals.total.amount).toBe(due);
    expect(after.lines.map((l: { sku: string }) => l.sku)).toEqual([r.tee]);
    expect(after.fulfilments).toEqual([
      expect.objectContaining({ id: r.fulfilment.id, status: 'handed_over' }),
    ]);
    expect(sold.json().change_due.amount).toBe(2000 - (due - 1000));
    const paid = await paymentsOf(r.order.id);
    expect(paid.reduce((n, p) => n + Number(p.amount), 0)).toBe(due);
    expect(paid.every((p) => p.channel_id === r.channel && p.status === 'captured')).toBe(true);
    // The tee is sold from the store; the shirt is back on sale there.
    expect(await counters(r.tee, r.store.id)).toEqual({ on_hand: 4, reserved: 0 });
    expect(await counters(r.shirt, r.store.id)).toEqual({ on_hand: 5, reserved: 0 });
    // The sale happened at the store: its event carries the store's channel.
    const [event] = await eventsOf(r.order.id, 'fulfilment.reservation_sold');
    expect(event).toMatchObject({ channel_id: r.channel });

    // Selling it again is refused.
    const again = await sell(r.fulfilment.id, {
      keep_line_ids: [teeLine.id],
      tenders: [{ provider: 'cash', amount: due, method: { tendered: due } }],
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].field).toBe('params.id');
  });

  it('the customer buys nothing: the associate releases it, the order is cancelled and the units are back; a released reservation cannot be sold', async () => {
    const r = await aReservation();
    const released = await post(t(), `/v1/fulfilments/${r.fulfilment.id}/release`);
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ status: 'cancelled' });
    expect(released.json().fulfilments[0]).toMatchObject({ status: 'cancelled' });
    expect(await counters(r.tee, r.store.id)).toEqual({ on_hand: 5, reserved: 0 });
    expect(await counters(r.shirt, r.store.id)).toEqual({ on_hand: 5, reserved: 0 });
    const [event] = await eventsOf(r.order.id, 'fulfilment.reservation_released');
    expect(event).toMatchObject({ channel_id: r.channel });

    const late = await sell(r.fulfilment.id, {
      keep_line_ids: [r.order.lines[0]!.id],
      tenders: [{ provider: 'cash', amount: r.order.lines[0]!.total.amount, method: { tendered: 5000 } }],
    });
    expect(late.statusCode).toBe(409);
    expect(late.headers['content-type']).toContain('application/problem+json');
    expect(late.json()).toMatchObject({ status: 'cancelled', errors: [{ field: 'params.id' }] });
    expect(await paymentsOf(r.order.id)).toEqual([]);
    expect((await post(t(), `/v1/fulfilments/${r.fulfilment.id}/release`)).statusCode).toBe(409);
  });

  it('a sale and a release of the same reservation at once: one wins, and stock and money agree with it', async () => {
    const rounds = await Promise.all([1, 2, 3, 4].map(() => aReservation()));
    const results = await Promise.all(
      rounds.map(async (r) => {
        const teeLine = r.order.lines.find((l) => l.sku === r.tee)!;
        const due = teeLine.total.amount;
        const [sold, released] = await Promise.all([
          sell(r.fulfilment.id, {
            keep_line_ids: [teeLine.id],
            tenders: [{ provider: 'cash', amount: due, method: { tendered: due } }],
          }),
          post(t(), `/v1/fulfilments/${r.fulfilment.id}/release`),
        ]);
        return { r, due, sold, released };
      }),
    );
    for (const { r, due, sold, released } of results) {
      expect([sold.statusCode, released.statusCode].sort(), `${sold.body} ${released.body}`).toEqual([
        200, 409,
      ]);
      const order = await t().omnis.services.commerce.orders.retrieveOrder(r.order.id);
      const captured = (await paymentsOf(r.order.id))
        .filter((p) => p.status === 'captured')
        .reduce((n, p) => n + Number(p.amount), 0);
      // Whatever lost took nothing with it: no money outside an order, no units held or sold for nothing.
      const loose = await t()
        .omnis.database.db.selectFrom('payments')
        .select(['id', 'status'])
        .where('order_id', 'is', null)
        .where('channel_id', '=', r.channel)
        .where('status', '=', 'captured')
        .execute();
      expect(loose).toEqual([]);
      if (sold.statusCode === 200) {
        expect(order.status).toBe('completed');
        expect(captured).toBe(due);
        expect(await counters(r.tee, r.store.id)).toEqual({ on_hand: 4, reserved: 0 });
      } else {
        expect(order.status).toBe('cancelled');
        expect(captured).toBe(0);
        expect(await counters(r.tee, r.store.id)).toEqual({ on_hand: 5, reserved: 0 });
      }
      expect(await counters(r.shirt, r.store.id)).toEqual({ on_hand: 5, reserved: 0 });
    }
  });

  it('a reservation nobody comes for expires after its hold and its units go back on sale', async () => {
    const r = await aReservation();
    const reserve = t().omnis.services.commerce.reserve;
    // Not before its hold ends.
    expect(await reserve.expireDueReservations(Date.now())).toBe(0);
    expect(await counters(r.tee, r.store.id)).toEqual({ on_hand: 5, reserved: 1 });

    expect(await reserve.expireDueReservations(Date.parse(r.body.hold_until) + 1)).toBeGreaterThanOrEqual(1);
    const order = await t().omnis.services.commerce.orders.retrieveOrder(r.order.id);
    expect(order.status).toBe('cancelled');
    expect(order.fulfilments[0]).toMatchObject({ status: 'expired' });
    expect(await counters(r.tee, r.store.id)).toEqual({ on_hand: 5, reserved: 0 });
    expect(await counters(r.shirt, r.store.id)).toEqual({ on_hand: 5, reserved: 0 });
    expect(await eventsOf(r.order.id, 'fulfilment.reservation_expired')).toHaveLength(1);
  });

  it('a store without the units is refused naming the store, and nothing is held or ordered', async () => {
    const shop = await f.aStore([2000]);
    const empty = await aLocation(t(), { kind: 'store', capabilities: ['pickup'] });
    // The web channel sells from the empty store too (the allocation lists every location).
    await allocate(t(), shop.web, [
      { location_id: shop.store.id },
      { location_id: shop.warehouse.id },
      { location_id: empty.id },
    ]);
    const key = await f.storeKey(shop.web);
    const sku = shop.products[0]!.sku;
    const cart = await f.aCart(key, [{ sku, quantity: 1 }]);
    const ordersBefore = await f.count('orders', shop.web);
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: `/store/v1/carts/${cart.id}/reserve-in-store`,
      headers: cart.headers,
      payload: { location_id: empty.id },
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.location_id' })]);
    expect(res.json().stores_with_stock.map((s: { location_id: string }) => s.location_id)).toContain(
      shop.store.id,
    );
    expect(await f.count('orders', shop.web)).toBe(ordersBefore);
    expect(await counters(sku, shop.store.id)).toEqual({ on_hand: 5, reserved: 0 });

    // An unknown store is a validation error on the same field.
    const unknown = await t().omnis.app.inject({
      method: 'POST',
      url: `/store/v1/carts/${cart.id}/reserve-in-store`,
      headers: cart.headers,
      payload: { location_id: 'loc_nope' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('body.location_id');
  });
});
