/**
 * Returns and exchanges in any channel: an online order brought back to the Barcelona store, a store purchase
 * sent back by mail for store credit, a late return refused naming its rule (and taken on a staff override), a
 * refund above what was paid refused, two associates racing for the same unit, an exchange for another size.
 * Every story ends with the stock ledger matching the levels and every payment's money invariant.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { post } from './order.test-support';
import {
  aCustomer,
  aPosSale,
  aShippedCardOrder,
  aShopWithStores,
  expectLedgerAndMoney,
  levelOf,
  storeCredentials,
  testActor,
  timelineTypes,
} from './return.test-support';

describeEachDialect('returns', (t) => {
  const get = async (url: string) =>
    t().omnis.app.inject({ method: 'GET', url, headers: await t().as('associate') });

  it('an online order is returned in the Barcelona store: restocked there, refunded to the card', async () => {
    const shop = await aShopWithStores(t());
    const customer = await aCustomer(t());
    const { order, card } = await aShippedCardOrder(t(), shop, shop.warehouse.id, customer, 2);
    expect(Number((await levelOf(t(), shop.sku, shop.warehouse.id)).on_hand)).toBe(8);

    // The associate finds the order by its number, then takes one of the two shirts back.
    const found = await get(`/v1/orders?number=${encodeURIComponent(order.display_number)}`);
    const lineId = (await get(`/v1/orders/${found.json().data[0].id}`)).json().lines[0].id as string;
    const opened = await post(t(), '/v1/returns', {
      order_id: order.id,
      method: 'in_store',
      lines: [{ order_line_id: lineId, quantity: 1, reason: 'wrong_size' }],
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const ret = opened.json();
    expect(ret).toMatchObject({ status: 'requested', refund_total: { amount: 1999, currency: 'EUR' } });

    const received = await post(t(), `/v1/returns/${ret.id}/receive`, { location_id: shop.barcelona.id });
    expect(received.json()).toMatchObject({ status: 'received', location_id: shop.barcelona.id });
    const inspected = await post(t(), `/v1/returns/${ret.id}/inspect`, {
      lines: [{ return_line_id: ret.lines[0].id, outcome: 'restock' }],
    });
    expect(inspected.json().status).toBe('inspected');
    // Back on the Barcelona shelf, not in the warehouse it left from.
    expect(Number((await levelOf(t(), shop.sku, shop.barcelona.id)).on_hand)).toBe(1);
    expect(Number((await levelOf(t(), shop.sku, shop.warehouse.id)).on_hand)).toBe(8);

    const refunded = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/returns/${ret.id}/refund`,
      headers: { ...(await t().as('associate')), 'idempotency-key': `refund-${ret.id}` },
      payload: { method: 'original_payment' },
    });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(refunded.json()).toMatchObject({ status: 'completed', refunded: { amount: 1999 } });
    // A retried click (same key) replays the answer; it does not refund twice.
    const replay = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/returns/${ret.id}/refund`,
      headers: { ...(await t().as('associate')), 'idempotency-key': `refund-${ret.id}` },
      payload: { method: 'original_payment' },
    });
    expect(replay.statusCode).toBe(200);
    const payment = await t().omnis.services.commerce.payments.retrievePayment(card.id);
    expect(payment).toMatchObject({ status: 'partially_refunded', amount_refunded: { amount: 1999 } });
    const totals = await t().omnis.services.commerce.payments.totals(t().omnis.database.db, order.id);
    expect(totals.captured - totals.refunded).toBe(order.totals.total.amount - 1999);

    expect(await timelineTypes(t(), customer)).toEqual(
      expect.arrayContaining([
        'return.requested',
        'return.received',
        'return.inspected',
        'return.refunded',
        'return.completed',
      ]),
    );
    const desk = await get(`/v1/returns?location_id=${shop.barcelona.id}&status=completed`);
    expect(desk.json().data.map((r: { id: string }) => r.id)).toEqual([ret.id]);
    await expectLedgerAndMoney(t());
  });

  it('a store purchase is returned by mail for store credit', async () => {
    const shop = await aShopWithStores(t());
    const customer = await aCustomer(t());
    const { order } = await aPosSale(t(), shop, shop.warehouse.id, customer);
    const headers = await storeCredentials(t(), shop.channel.id, customer);
    const lineId = order.lines[0]!.id;

    const stranger = await aCustomer(t());
    const notHers = await t().omnis.app.inject({
      method: 'POST',
      url: '/store/v1/returns',
      headers: await storeCredentials(t(), shop.channel.id, stranger),
      payload: {
        order_id: order.id,
        lines: [{ order_line_id: lineId, quantity: 1, reason: 'changed_mind' }],
      },
    });
    expect(notHers.statusCode, notHers.body).toBe(400);

    const rma = await t().omnis.app.inject({
      method: 'POST',
      url: '/store/v1/returns',
      headers,
      payload: {
        order_id: order.id,
        lines: [{ order_line_id: lineId, quantity: 1, reason: 'changed_mind' }],
      },
    });
    expect(rma.statusCode, rma.body).toBe(201);
    const ret = rma.json();
    expect(ret).toMatchObject({ method: 'mail', status: 'requested', customer_id: customer });

    // The parcel is opened at the warehouse: the shirt is torn, written off.
    await post(t(), `/v1/returns/${ret.id}/receive`, { location_id: shop.warehouse.id });
    const before = Number((await levelOf(t(), shop.sku, shop.warehouse.id)).on_hand);
    await post(t(), `/v1/returns/${ret.id}/inspect`, {
      lines: [{ return_line_id: ret.lines[0].id, outcome: 'write_off' }],
    });
    expect(Number((await levelOf(t(), shop.sku, shop.warehouse.id)).on_hand)).toBe(before);
    const kinds = await t()
      .omnis.database.db.selectFrom('stock_movements')
      .select(['kind', 'on_hand_delta'])
      .where('reference_id', '=', ret.id)
      .orderBy('id')
      .execute();
    expect(kinds.map((k) => [k.kind, Number(k.on_hand_delta)])).toEqual([
      ['return_restock', 1],
      ['damage', -1],
    ]);

    const refunded = await post(t(), `/v1/returns/${ret.id}/refund`, { method: 'store_credit' });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(await t().omnis.services.commerce.storeCredit.balances(customer)).toEqual([
      { amount: 1999, currency: 'EUR' },
    ]);
    // The cash stays taken: the money went back as credit, not through the till.
    const totals = await t().omnis.services.commerce.payments.totals(t().omnis.database.db, order.id);
    expect([totals.captured, totals.refunded]).toEqual([1999, 0]);
    expect(await timelineTypes(t(), customer)).toEqual(
      expect.arrayContaining(['return.requested', 'return.refunded', 'store_credit.credited']),
    );
    await expectLedgerAndMoney(t());
  });

  it('a return after the window is refused, with the rule', async () => {
    const shop = await aShopWithStores(t());
    const customer = await aCustomer(t());
    const { order } = await aShippedCardOrder(t(), shop, shop.warehouse.id, customer);
    const rule = await post(t(), '/v1/return-policies', {
      name: 'Web: 14 days',
      channel_id: shop.channel.id,
      window_days: 14,
    });
    expect(rule.statusCode, rule.body).toBe(201);
    // The parcel reached her 20 days ago.
    await t()
      .omnis.database.db.updateTable('fulfilments')
      .set({ shipped_at: Date.now() - 20 * 86_400_000 })
      .where('order_id', '=', order.id)
      .execute();
    const orderLine = (await get(`/v1/orders/${order.id}`)).json().lines[0].id as string;
    const body = {
      order_id: order.id,
      method: 'in_store',
      lines: [{ order_line_id: orderLine, quantity: 1, reason: 'changed_mind' }],
    };
    const late = await post(t(), '/v1/returns', body);
    expect(late.statusCode).toBe(422);
    expect(late.json().errors[0].field).toBe('body.lines.0');
    expect(late.json().violations[0].rule).toMatchObject({
      id: rule.json().id,
      name: 'Web: 14 days',
      window_days: 14,
    });
    expect((await get(`/v1/returns?order_id=${order.id}`)).json().data).toEqual([]);

    // A manager takes it anyway, with a reason: kept on the return and in the audit trail.
    const taken = await post(t(), '/v1/returns', { ...body, override: { reason: 'loyal customer, unworn' } });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json().override).toMatchObject({ reason: 'loyal customer, unworn' });
    const audit = await t()
      .omnis.database.db.selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', taken.json().id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['return.create']);
  });

  it('a refund above what was paid is refused', async () => {
    const shop = await aShopWithStores(t());
    const customer = await aCustomer(t());
    const { order, card } = await aShippedCardOrder(t(), shop, shop.warehouse.id, customer, 2);
    // The customer already got 30.00 back as a goodwill gesture on the card.
    await t().omnis.services.commerce.payments.refundPayment(
      card.id,
      { amount: 3000, reason: 'goodwill' },
      testActor,
    );
    const lineId = (await get(`/v1/orders/${order.id}`)).json().lines[0].id as string;
    const ret = (
      await post(t(), '/v1/returns', {
        order_id: order.id,
        method: 'in_store',
        lines: [{ order_line_id: lineId, quantity: 2, reason: 'damaged' }],
      })
    ).json();
    await post(t(), `/v1/returns/${ret.id}/receive`, { location_id: shop.barcelona.id });
    await post(t(), `/v1/returns/${ret.id}/inspect`, {
      lines: [{ return_line_id: ret.lines[0].id, outcome: 'restock' }],
    });

    const tooMuch = await post(t(), `/v1/returns/${ret.id}/refund`, { method: 'original_payment' });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({ refundable: 3998 - 3000 });
    const chosen = await post(t(), `/v1/returns/${ret.id}/refund`, {
      method: 'original_payment',
      allocations: [{ payment_id: card.id, amount: 3998 }],
    });
    expect(chosen.statusCode).toBe(422);
    expect(chosen.json().errors[0].field).toBe('body.allocations.0.amount');
    const untouched = await t().omnis.services.commerce.payments.retrievePayment(card.id);
    expect(untouched.amount_refunded.amount).toBe(3000);
    expect((await get(`/v1/returns/${ret.id}`)).json()).toMatchObject({
      status: 'inspected',
      refunded: { amount: 0 },
    });

    // Store credit is not limited by the card: the associate settles it that way.
    const credit = await post(t(), `/v1/returns/${ret.id}/refund`, { method: 'store_credit' });
    expect(credit.json().status).toBe('completed');
    await expectLedgerAndMoney(t());
  });

  it('two associates returning the same line at once: one wins', async () => {
    const shop = await aShopWithStores(t());
    const customer = await aCustomer(t());
    const { order } = await aPosSale(t(), shop, shop.warehouse.id, customer, 1);
    const body = {
      order_id: order.id,
      method: 'in_store',
      lines: [{ order_line_id: order.lines[0]!.id, quantity: 1, reason: 'wrong_size' }],
    };
    const [a, b] = await Promise.all([post(t(), '/v1/returns', body), post(t(), '/v1/returns', body)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().errors[0].field).toBe('body.lines.0.quantity');
    expect((await get(`/v1/returns?order_id=${order.id}`)).json().data).toHaveLength(1);
    const counter = await t()
      .omnis.database.db.selectFrom('return_quantities')
      .selectAll()
      .where('order_id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect([Number(counter.bought), Number(counter.returned)]).toEqual([1, 1]);
  });

  it('an exchange for another size settles the difference', async () => {
    const shop = await aShopWithStores(t(), 2);
    const [medium, large] = shop.skus as [string, string];
    const customer = await aCustomer(t());
    const { order } = await aPosSale(t(), { ...shop, sku: medium }, shop.warehouse.id, customer);
    const ret = (
      await post(t(), '/v1/returns', {
        order_id: order.id,
        method: 'in_store',
        lines: [{ order_line_id: order.lines[0]!.id, quantity: 1, reason: 'wrong_size' }],
      })
    ).json();
    await post(t(), `/v1/returns/${ret.id}/receive`, { location_id: shop.warehouse.id });
    // The large costs 24.99 in this channel (a price list); the exchange is priced from it, as any cart is.
    const [largeVariant] = await t().omnis.services.catalog.variants.retrieveVariantsBySku([large]);
    const list = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/price-lists',
      headers: await t().as('admin'),
      payload: {
        name: `Large sizes ${ret.id}`,
        type: 'override',
        status: 'active',
        channel_ids: [shop.channel.id],
        prices: [{ variant_id: largeVariant!.id, currency: 'EUR', amount: 2499 }],
      },
    });
    expect(list.statusCode, list.body).toBe(201);

    // The large costs 24.99: the returned medium (19.99) pays most of it, the customer adds 5.00 in cash.
    const exchange = {
      lines: [
        {
          return_line_id: ret.lines[0].id,
          sku: large,
          unit_price: 2499,
          delivery: { mode: 'handover', location_id: shop.warehouse.id },
        },
      ],
    };
    const short = await post(t(), `/v1/returns/${ret.id}/exchange`, exchange);
    expect(short.statusCode).toBe(422);
    expect(short.json().errors[0].field).toBe('body.tenders');
    const shelf = await levelOf(t(), large, shop.warehouse.id);
    const done = await post(t(), `/v1/returns/${ret.id}/exchange`, {
      ...exchange,
      tenders: [{ provider: 'cash', amount: 500, method: { tendered: 1000 } }],
    });
    expect(done.statusCode, done.body).toBe(200);
    const replacement = done.json().exchange_order_id as string;
    expect(done.json()).toMatchObject({ refund_total: { amount: 0 }, lines: [{ exchanged: true }] });

    const newOrder = (await get(`/v1/orders/${replacement}`)).json();
    expect(newOrder).toMatchObject({ customer_id: customer, totals: { total: { amount: 2499 } } });
    expect(newOrder.payments.captured.amount).toBe(2499);
    // Taken now: the exchange hands the large over as a POS sale would, so it left the shelf and nothing stays
    // held for it.
    expect(newOrder.fulfilments).toMatchObject([{ mode: 'handover', status: 'handed_over' }]);
    const after = await levelOf(t(), large, shop.warehouse.id);
    expect([Number(after.on_hand), Number(after.reserved)]).toEqual([Number(shelf.on_hand) - 1, 0]);
    // The credit carried the value and was spent: nothing left over.
    expect(await t().omnis.services.commerce.storeCredit.balances(customer)).toEqual([
      { amount: 0, currency: 'EUR' },
    ]);

    // The medium comes back to the shelf; nothing is owed back, so the return completes with no refund.
    await post(t(), `/v1/returns/${ret.id}/inspect`, {
      lines: [{ return_line_id: ret.lines[0].id, outcome: 'restock' }],
    });
    const closed = await post(t(), `/v1/returns/${ret.id}/refund`, { method: 'original_payment' });
    expect(closed.json()).toMatchObject({ status: 'completed', refunded: { amount: 0 } });
    const original = await t().omnis.services.commerce.payments.totals(t().omnis.database.db, order.id);
    expect(original.refunded).toBe(0);
    expect(await timelineTypes(t(), customer)).toEqual(
      expect.arrayContaining(['exchange.created', 'order.placed']),
    );
    await expectLedgerAndMoney(t());
  });
});
