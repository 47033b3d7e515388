/**
 * An associate sells at the till: scanned lines paid with cash (change due), a card terminal, a gift card and
 * store credit together; the goods leave at once (a sale in the ledger) and the receipt prints in the customer's
 * language. A retried sale is the same sale, even when the retries arrive together. What the store lacks ships
 * from the warehouse (endless aisle), and a customer's online cart is completed at the counter.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { eur, levelOf, ledgerVersusLevels, posFixtures } from './checkout.test-support';
import { expectMoneyInvariant } from './payment.test-support';

describeEachDialect('POS sales', (t) => {
  const f = posFixtures(t);

  it('a split-tender sale is handed over at once and its receipt prints in Spanish', async () => {
    const shop = await f.aStore([2000, 3000]);
    const [tee, jeans] = [shop.products[0]!, shop.products[1]!];
    const gift = await t().omnis.services.commerce.giftCards.issueGiftCard(
      { amount: eur(1500), channel_id: shop.channel },
      f.testActor,
    );
    // 2 × 20 + 30 = 70 €: 15 on the gift card, 25 on the terminal, 30 in cash from a 50 note.
    const res = await f.sell({
      location_id: shop.store.id,
      lines: [
        { sku: tee.sku, quantity: 2 },
        { sku: jeans.sku, quantity: 1 },
      ],
      tenders: [
        { provider: 'gift_card', amount: 1500, method: { code: gift.code } },
        {
          provider: 'card_terminal',
          amount: 2500,
          method: { approval_code: 'A1B2', last4: '4242', brand: 'visa' },
        },
        { provider: 'cash', amount: 3000, method: { tendered: 5000 } },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const { order, change_due } = res.json();
    expect(change_due).toEqual(eur(2000));
    expect(order).toMatchObject({ source: 'pos', status: 'completed', channel_id: shop.channel });
    expect(order.payments.captured).toEqual(eur(7000));
    expect(order.fulfilments.map((x: { status: string }) => x.status)).toEqual(['handed_over']);
    // Stock left the shelf at once: on hand fell, nothing stays reserved, and the ledger agrees.
    const level = await levelOf(t(), tee.sku, shop.store.id);
    expect([Number(level.on_hand), Number(level.reserved)]).toEqual([3, 0]);
    for (const row of await ledgerVersusLevels(t())) expect(row.ledger).toEqual(row.stored);

    const receipt = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/orders/${order.id}/receipt`,
      headers: await t().as('associate'),
    });
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.json()).toMatchObject({
      locale: 'es',
      labels: { total: 'Total', change: 'Cambio' },
      totals: { total: { amount: 7000 } },
    });
    expect(receipt.json().totals.total.text).toMatch(/70,00\s€/);
    expect(receipt.json().payments.map((p: { label: string }) => p.label)).toEqual([
      'Tarjeta regalo',
      'Tarjeta',
      'Efectivo',
    ]);
    await expectMoneyInvariant(t());
  });

  it('the same sale sent five times at once, as a flaky till retries, is one sale', async () => {
    const shop = await f.aStore([2000]);
    const sku = shop.products[0]!.sku;
    const payload = {
      location_id: shop.store.id,
      lines: [{ sku, quantity: 1 }],
      tenders: [{ provider: 'cash', method: { tendered: 2000 } }],
    };
    const answers = await Promise.all(Array.from({ length: 5 }, () => f.sell(payload, 'till-7-sale-42')));
    const created = answers.filter((a) => a.statusCode === 201);
    for (const a of answers)
      if (a.statusCode !== 201) expect(a.json().code, a.body).toBe('idempotency_in_progress');
    expect(new Set(created.map((a) => a.json().order.id)).size).toBe(1);
    const late = await f.sell(payload, 'till-7-sale-42');
    expect(late.headers['idempotent-replayed']).toBe('true');
    expect(await f.count('orders', shop.channel)).toBe(1);
    expect(Number((await levelOf(t(), sku, shop.store.id)).on_hand)).toBe(4);
  });

  it('a sale without an Idempotency-Key is refused naming the header, and nothing is sold', async () => {
    const shop = await f.aStore([2000]);
    const res = await f.sell(
      {
        location_id: shop.store.id,
        lines: [{ sku: shop.products[0]!.sku, quantity: 1 }],
        tenders: [{ provider: 'cash', method: { tendered: 2000 } }],
      },
      null,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'headers.idempotency-key' })]);
    expect(await f.count('orders', shop.channel)).toBe(0);
  });

  it('a tender that fails gives back the ones already taken and releases the stock', async () => {
    const shop = await f.aStore([2000]);
    const sku = shop.products[0]!.sku;
    const res = await f.sell({
      location_id: shop.store.id,
      lines: [{ sku, quantity: 1 }],
      tenders: [
        { provider: 'cash', amount: 1000, method: { tendered: 1000 } },
        { provider: 'gift_card', amount: 1000, method: { code: 'NO-SUCH-CARD' } },
      ],
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    const level = await levelOf(t(), sku, shop.store.id);
    expect([Number(level.on_hand), Number(level.reserved)]).toEqual([5, 0]);
    expect(await f.count('orders', shop.channel)).toBe(0);
    const { db } = t().omnis.database;
    const cash = await db.selectFrom('payments').selectAll().where('channel_id', '=', shop.channel).execute();
    for (const p of cash) expect(Number(p.amount_captured) - Number(p.amount_refunded)).toBe(0);
  });

  it('endless aisle: what the store lacks ships from the warehouse, paid at the till', async () => {
    const shop = await f.aStore([2000], 0, 3);
    const sku = shop.products[0]!.sku;
    const res = await f.sell({
      location_id: shop.store.id,
      lines: [{ sku, quantity: 2, mode: 'ship' }],
      shipping_address: f.address,
      tenders: [{ provider: 'card_terminal', method: { approval_code: 'X9' } }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const { order } = res.json();
    expect(order.lines).toEqual([
      expect.objectContaining({
        sku,
        quantity: 2,
        delivery: { mode: 'ship', location_id: shop.warehouse.id },
      }),
    ]);
    expect(order.totals.shipping).toEqual(eur(500));
    expect(order.status).toBe('paid');
    expect(Number((await levelOf(t(), sku, shop.warehouse.id)).reserved)).toBe(2);
  });

  it("a customer's online cart is pulled up at the counter and completed there", async () => {
    const shop = await f.aStore([2000]);
    const sku = shop.products[0]!.sku;
    const ana = await f.shopper();
    const cart = await t().omnis.services.commerce.carts.createCart(
      { customer_id: ana.id, lines: [{ sku, quantity: 2 }] },
      { channelId: shop.web, actor: f.testActor },
    );
    const res = await f.sell({
      location_id: shop.store.id,
      cart_id: cart.cart.id,
      tenders: [{ provider: 'cash', method: { tendered: 5000 } }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().order).toMatchObject({ customer_id: ana.id, source: 'pos', status: 'completed' });
    expect(res.json().change_due).toEqual(eur(1000));
    expect((await t().omnis.services.commerce.carts.retrieveCart(cart.cart.id)).status).toBe('converted');
  });
});
