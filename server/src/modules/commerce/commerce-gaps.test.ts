/**
 * The gaps the first builders left, as stories: a shopper approves a 3-D Secure card on the processor's own page
 * and is sent back to the shop, which finishes the checkout; a shopper who never comes back gets the money back
 * once the hold expired; a return's refund retried after a crash never refunds twice; the order status page names
 * the pickup store; an agent builds a cart in the email channel; an associate looks up a gift card at the till.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { checkoutFixtures } from './checkout.test-support';
import { post } from './order.test-support';
import { expectMoneyInvariant } from './payment.test-support';
import { returnRefundKey } from './return.refund';
import { aCustomer, aShippedCardOrder, aShopWithStores, testActor } from './return.test-support';

describeEachDialect('commerce gaps', (t) => {
  const f = checkoutFixtures(t);

  beforeAll(async () => {
    // 3-D Secure confirms by a webhook to Omnis's public URL: Omnis listens on a real port for these stories.
    await t().omnis.app.listen({ host: '127.0.0.1', port: 0 });
  });

  it('a shopper approves the card on the processor page, returns to the shop and the order is placed', async () => {
    const shop = await f.aShop([2000]);
    const sku = shop.products[0]!.sku;
    const cart = await f.aCart(shop.key, [{ sku, quantity: 1 }]);
    const first = await f.checkout(cart, {
      expected_total: cart.total,
      payments: f.card('tok_async'),
      return_url: 'http://shop.example/shop/checkout',
    });
    expect(first.statusCode, first.body).toBe(202);
    const pending = first.json();
    expect(pending.next_action).toEqual({ type: 'redirect', url: expect.stringMatching(/authenticate$/) });

    // The shopper's browser opens the processor's page, reads the amount and presses Approve.
    const page = await fetch(pending.next_action.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('data-testid="processor-approve"');
    expect(html).toContain(`${(cart.total.amount / 100).toFixed(2)} EUR`); // the total the shop showed
    const approved = await fetch(pending.next_action.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=approve',
      redirect: 'manual',
    });
    expect(approved.status).toBe(303);
    const back = new URL(approved.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe('http://shop.example/shop/checkout');
    expect(back.searchParams.get('checkout_id')).toBe(pending.checkout_id);
    expect(back.searchParams.get('redirect_status')).toBe('succeeded');

    // Back in the shop: the same checkout, resumed with the payment it took.
    const resumed = await f.checkout(cart, {
      payments: [],
      checkout_id: back.searchParams.get('checkout_id'),
      payment_id: pending.payment.id,
    });
    expect(resumed.statusCode, resumed.body).toBe(201);
    expect(resumed.json().order.status).toBe('paid');
  });

  it('a shopper who declines on the processor page is sent back and nothing is ordered', async () => {
    const shop = await f.aShop([2000]);
    const cart = await f.aCart(shop.key, [{ sku: shop.products[0]!.sku, quantity: 1 }]);
    const pending = (
      await f.checkout(cart, {
        expected_total: cart.total,
        payments: f.card('tok_async'),
        return_url: 'http://shop.example/shop/checkout?lang=es',
      })
    ).json();
    const declined = await fetch(pending.next_action.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=decline',
      redirect: 'manual',
    });
    const back = new URL(declined.headers.get('location')!);
    expect(back.searchParams.get('redirect_status')).toBe('failed');
    expect(back.searchParams.get('lang')).toBe('es');
    const resumed = await f.checkout(cart, {
      payments: [],
      checkout_id: pending.checkout_id,
      payment_id: pending.payment.id,
    });
    expect(resumed.statusCode).toBe(402);
    expect(await f.count('orders', shop.web)).toBe(0);
  });

  it('a card approved by a shopper who never came back is refunded once the hold expired', async () => {
    const shop = await f.aShop([2000]);
    const cart = await f.aCart(shop.key, [{ sku: shop.products[0]!.sku, quantity: 1 }]);
    const pending = (
      await f.checkout(cart, { expected_total: cart.total, payments: f.card('tok_async') })
    ).json();
    await fetch(pending.next_action.url, { method: 'POST' }); // approved at the bank; the shop never hears back
    const { commerce } = t().omnis.services;
    expect((await commerce.payments.retrievePayment(pending.payment.id)).status).toBe('captured');

    // Within the hold nothing happens: the shopper may still come back.
    expect(await commerce.abandonedPayments.settleAbandonedPayments(Date.now())).toBe(0);
    const later = Date.now() + t().omnis.config.reservationTtlMs + 2 * 60_000;
    expect(await commerce.abandonedPayments.settleAbandonedPayments(later)).toBeGreaterThanOrEqual(1);
    const payment = await commerce.payments.retrievePayment(pending.payment.id);
    expect(payment).toMatchObject({ status: 'refunded', amount_refunded: cart.total });
    // A second run (another process) gives nothing more.
    await commerce.abandonedPayments.settleAbandonedPayments(later);
    expect((await commerce.payments.retrievePayment(pending.payment.id)).refunds).toHaveLength(1);
    const events = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select('type')
      .where('aggregate_id', '=', payment.id)
      .execute();
    expect(events.map((e) => e.type)).toContain('payment.refunded');
    await expectMoneyInvariant(t());
  });

  it("a payment of another cart is never attached to this checkout's order", async () => {
    const shop = await f.aShop([2000]);
    const other = await f.aCart(shop.key, [{ sku: shop.products[0]!.sku, quantity: 1 }]);
    const { commerce } = t().omnis.services;
    const foreign = await commerce.payments.createPayment(
      {
        provider: 'test',
        amount: other.total,
        channel_id: shop.web,
        cart_id: other.id,
        method: { token: 'tok_visa' },
      },
      testActor,
    );
    await expect(
      t()
        .omnis.database.db.transaction()
        .execute((trx) =>
          commerce.payments.attachToOrder(trx, {
            cart_id: 'crt_elsewhere',
            order_id: 'ord_x',
            payment_ids: [foreign.id],
          }),
        ),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await commerce.payments.retrievePayment(foreign.id)).order_id).toBeNull();
  });

  it('a return refund retried after a crash gives back only what the first attempt did not', async () => {
    const shop = await aShopWithStores(t());
    const customer = await aCustomer(t());
    const { order, card } = await aShippedCardOrder(t(), shop, shop.warehouse.id, customer, 2);
    const lineId = (
      await t().omnis.app.inject({
        method: 'GET',
        url: `/v1/orders/${order.id}`,
        headers: await t().as('associate'),
      })
    ).json().lines[0].id as string;
    const ret = (
      await post(t(), '/v1/returns', {
        order_id: order.id,
        method: 'in_store',
        lines: [{ order_line_id: lineId, quantity: 1, reason: 'wrong_size' }],
      })
    ).json();
    await post(t(), `/v1/returns/${ret.id}/receive`, { location_id: shop.barcelona.id });
    await post(t(), `/v1/returns/${ret.id}/inspect`, {
      lines: [{ return_line_id: ret.lines[0].id, outcome: 'restock' }],
    });
    const { commerce } = t().omnis.services;
    // The first attempt refunded the card, then the process died before the return recorded it.
    const key = returnRefundKey(ret.id);
    const reason = `return ${ret.id}`;
    const [a, b] = await Promise.all([
      commerce.payments.refundPayment(card.id, { amount: 1999, reason, key }, testActor),
      commerce.payments.refundPayment(card.id, { amount: 1999, reason, key }, testActor),
    ]);
    expect(b.refund.id).toBe(a.refund.id); // the same key twice, even at once: one refund
    await t()
      .omnis.database.db.updateTable('returns')
      .set({ status: 'refunding', updated_at: Date.now() - 10 * 60_000 })
      .where('id', '=', ret.id)
      .execute();

    const retried = await post(t(), `/v1/returns/${ret.id}/refund`, { method: 'original_payment' });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().status).toBe('completed');
    const payment = await commerce.payments.retrievePayment(card.id);
    expect(payment.amount_refunded.amount).toBe(1999); // once, not twice
    expect(payment.refunds).toHaveLength(1);
    await expectMoneyInvariant(t());
  });

  it('the order status page names the pickup store and its address', async () => {
    const shop = await f.aShop([2000]);
    const sku = shop.products[0]!.sku;
    const cart = await f.aCart(shop.key, [
      { sku, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const placed = (await f.checkout(cart, { expected_total: cart.total, payments: f.card() })).json();
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/store/v1/orders/${placed.order.id}`,
      headers: { 'x-order-secret': placed.access_secret },
    });
    expect(res.statusCode, res.body).toBe(200);
    const at = await t().omnis.services.locations.retrieveLocation(shop.store.id);
    const store = { id: at.id, name: at.name, kind: 'store', address: at.address };
    expect(res.json().lines[0].delivery.location).toEqual(store);
    expect(res.json().fulfilments[0].location).toEqual(store);
  });

  it('an agent builds a cart in the email channel, priced in the business currency', async () => {
    const email = await f.channel('email' as 'web', {});
    const product = await f.sellable([email], 1500);
    const customer = await aCustomer(t());
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/carts',
      headers: await t().as('agent'),
      payload: { channel_id: email, customer_id: customer, lines: [{ sku: product.sku, quantity: 2 }] },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expect(res.json().currency).toBe(t().omnis.config.defaultCurrency);
    expect(res.json().pricing.subtotal ?? res.json().pricing.grand_total).toMatchObject({ currency: 'EUR' });
  });

  it('an associate looks up a gift card by its code at the till: balance, never the code', async () => {
    const { commerce } = t().omnis.services;
    const card = await commerce.giftCards.issueGiftCard(
      { amount: { amount: 2500, currency: 'EUR' } },
      testActor,
    );
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/gift-cards/lookup',
      headers: await t().as('associate'),
      payload: { code: card.code },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: card.id,
      last4: card.last4,
      balance: { amount: 2500, currency: 'EUR' },
      status: 'active',
      expires_at: null,
    });
    expect(res.body).not.toContain(card.code);
    const unknown = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/gift-cards/lookup',
      headers: await t().as('associate'),
      payload: { code: 'NOPE-NOPE-NOPE' },
    });
    expect(unknown.statusCode).toBe(404);
    const analyst = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/gift-cards/lookup',
      headers: await t().as('analyst'),
      payload: { code: card.code },
    });
    expect(analyst.statusCode).toBe(403);
  });
});
