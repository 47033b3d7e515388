/**
 * No money or stock is created or lost, whatever the crowd does: thirty shoppers check out the last ten units at
 * the same moment — exactly ten orders are placed, the other twenty are refused with a 409 and charged nothing,
 * stock never goes negative and the ledger agrees with the levels. For every order, what its payments captured
 * minus what they refunded is what the order counts as paid, and a paid order's payments cover its total.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { checkoutFixtures, ledgerVersusLevels } from './checkout.test-support';
import { expectMoneyInvariant } from './payment.test-support';

describeEachDialect('money invariants', (t) => {
  const f = checkoutFixtures(t);

  it('thirty shoppers check out the last ten units at once: ten orders, twenty clean refusals', async () => {
    const shop = await f.aShop([2000], 5); // 5 at the warehouse + 5 at the store: 10 units in all
    const sku = shop.products[0]!.sku;
    const carts = [];
    for (let i = 0; i < 30; i++) carts.push(await f.aCart(shop.key, [{ sku, quantity: 1 }]));

    const answers = await Promise.all(
      carts.map((cart) => f.checkout(cart, { expected_total: cart.total, payments: f.card() })),
    );

    const placed = answers.filter((a) => a.statusCode === 201);
    const refused = answers.filter((a) => a.statusCode !== 201);
    expect(placed).toHaveLength(10);
    for (const r of refused) expect(r.json().code, r.body).toBe('insufficient_stock');
    expect(refused).toHaveLength(20);

    const { db } = t().omnis.database;
    const levels = await db.selectFrom('stock_levels').selectAll().where('sku', '=', sku).execute();
    for (const l of levels) {
      expect(Number(l.on_hand)).toBeGreaterThanOrEqual(0);
      expect(Number(l.reserved)).toBeLessThanOrEqual(Number(l.on_hand));
    }
    expect(levels.reduce((n, l) => n + Number(l.reserved), 0)).toBe(10);
    for (const row of await ledgerVersusLevels(t())) expect(row.ledger).toEqual(row.stored);

    // Refused shoppers were charged nothing: the only payments are the placed orders'.
    const payments = await db.selectFrom('payments').selectAll().where('channel_id', '=', shop.web).execute();
    expect(payments.filter((p) => p.order_id === null)).toEqual([]);
    expect(payments).toHaveLength(10);
    await expectMoneyInvariant(t());
  });

  it('for every order, captured minus refunded is what it counts as paid, and paid orders are covered', async () => {
    const shop = await f.aShop([2000, 3000]);
    const [a, b] = [shop.products[0]!.sku, shop.products[1]!.sku];
    const cartA = await f.aCart(shop.key, [{ sku: a, quantity: 2 }]);
    const cartB = await f.aCart(shop.key, [
      { sku: b, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const gift = await t().omnis.services.commerce.giftCards.issueGiftCard(
      { amount: { amount: 1000, currency: 'EUR' }, channel_id: shop.web },
      f.testActor,
    );
    const first = await f.checkout(cartA, { expected_total: cartA.total, payments: f.card() });
    const second = await f.checkout(cartB, {
      expected_total: cartB.total,
      payments: [
        { provider: 'gift_card', amount: 1000, method: { code: gift.code } },
        { provider: 'test', amount: cartB.total.amount - 1000, method: { token: 'tok_visa' } },
      ],
    });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    // One order is cancelled afterwards: its money goes back.
    await t().omnis.services.commerce.orders.cancelOrder(first.json().order.id, f.testActor, 'changed mind');

    const { db } = t().omnis.database;
    const orders = await db.selectFrom('orders').selectAll().where('channel_id', '=', shop.web).execute();
    expect(orders).toHaveLength(2);
    for (const o of orders) {
      const rows = await db.selectFrom('payments').selectAll().where('order_id', '=', o.id).execute();
      const captured = rows.reduce((n, p) => n + Number(p.amount_captured), 0);
      const refunded = rows.reduce((n, p) => n + Number(p.amount_refunded), 0);
      const detail = await t().omnis.services.commerce.orders.retrieveOrder(o.id);
      expect(detail.payments.captured.amount - detail.payments.refunded.amount).toBe(captured - refunded);
      if (o.status === 'paid') expect(captured - refunded).toBe(Number(o.total));
      if (o.status === 'cancelled') expect(captured - refunded).toBe(0);
    }
    expect(orders.map((o) => o.status).sort()).toEqual(['cancelled', 'paid']);
    await expectMoneyInvariant(t());
  });
});
