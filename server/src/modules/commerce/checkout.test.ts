/**
 * A shopper checks out on the storefront: lines shipped from where sourcing chooses and picked up at a store,
 * paid by card (including 3-D Secure that confirms later), placed as one paid order. What goes wrong is refused
 * clearly with nothing held or charged: a total that changed since it was shown, a declined card, a store that does
 * not have the item, a checkout resumed after its stock was released. A double submit is one order.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { checkoutFixtures, eur } from './checkout.test-support';
import { expectMoneyInvariant } from './payment.test-support';

describeEachDialect('checkout', (t) => {
  const f = checkoutFixtures(t);
  let processor = '';

  beforeAll(async () => {
    // 3-D Secure confirms by a webhook to Omnis's public URL: Omnis listens on a real port for these stories.
    await t().omnis.app.listen({ host: '127.0.0.1', port: 0 });
    processor = await t().omnis.services.commerce.paymentsModule.testProcessorUrl();
  });

  /** The shopper completes 3-D Secure at the processor (it answers once its webhook was delivered). */
  const authenticate = (reference: string) =>
    fetch(`${processor}/v1/payment_intents/${reference}/authenticate`, { method: 'POST' });

  it('a shopper ships one item and picks another up in store, pays by card, and gets one paid order', async () => {
    const shop = await f.aShop([2000, 3500]);
    const [tee, jeans] = [shop.products[0]!, shop.products[1]!];
    const cart = await f.aCart(shop.key, [
      { sku: tee.sku, quantity: 2 },
      { sku: jeans.sku, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    expect(cart.total).toEqual(eur(2 * 2000 + 500 + 3500)); // shipping only for the shipped line

    const res = await f.checkout(cart, { expected_total: cart.total, payments: f.card() });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'placed',
      order: { status: 'paid', totals: { total: cart.total } },
    });
    expect(body.access_secret).toMatch(/^ordsec_/);
    const pickup = body.promises.find((p: { sku: string }) => p.sku === jeans.sku);
    expect(pickup).toMatchObject({ mode: 'pickup', location_id: shop.store.id });
    expect(pickup.ready_at).not.toBeNull();

    const order = await t().omnis.services.commerce.orders.retrieveOrder(body.order.id);
    expect(order.source).toBe('checkout');
    // The guest's email made her a customer: the order is on her one profile, and on her timeline.
    const guest = await t().omnis.services.identity.resolve({
      identifiers: [{ type: 'email', value: 'guest@example.com' }],
      actor: { type: 'system', id: null, label: 'test' },
      reason: 'test lookup',
    });
    expect(order.customer_id).toBe(guest.customerId);
    const timeline = await t().omnis.services.timeline.listTimeline(guest.customerId, { limit: 50 });
    expect(timeline.data.map((e: { type: string }) => e.type)).toContain('order.placed');
    expect(order.payments.captured).toEqual(cart.total);
    expect(order.lines.map((l) => [l.sku, l.quantity, l.delivery.mode])).toEqual([
      [tee.sku, 2, 'ship'],
      [jeans.sku, 1, 'pickup'],
    ]);
    for (const id of order.lines.flatMap((l) => l.reservation_ids))
      expect((await t().omnis.services.reservations.retrieveReservation(id)).status).toBe('confirmed');
    const payments = await t().omnis.services.commerce.payments.listPayments({ order_id: order.id });
    expect(payments.data.map((p) => [p.provider, p.status, p.cart_id])).toEqual([
      ['test', 'captured', cart.id],
    ]);
    expect((await t().omnis.services.commerce.carts.retrieveCart(cart.id)).status).toBe('converted');

    // The cart is done: pressing Pay again does not make a second order.
    const again = await f.checkout(cart, { expected_total: cart.total, payments: f.card() });
    expect(again.statusCode).toBe(409);
    expect(await f.count('orders', shop.web)).toBe(1);
    await expectMoneyInvariant(t());
  });

  it('a price that changed since the shopper saw it is a 409 with the new total, and nothing is held or charged', async () => {
    const shop = await f.aShop([2000]);
    const sku = shop.products[0]!.sku;
    const cart = await f.aCart(shop.key, [
      { sku, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const res = await f.checkout(cart, { expected_total: eur(1500), payments: f.card() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'checkout_price_changed',
      pricing: { grand_total: eur(2000) },
      errors: [{ field: 'body.expected_total' }],
    });
    expect(await f.reservedAt(sku, shop.store.id)).toBe(0);
    expect(await f.count('payments', shop.web)).toBe(0);
  });

  it('a declined card releases the stock checkout held and places no order', async () => {
    const shop = await f.aShop([2000]);
    const sku = shop.products[0]!.sku;
    const cart = await f.aCart(shop.key, [
      { sku, quantity: 3, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const res = await f.checkout(cart, { expected_total: cart.total, payments: f.card('tok_declined') });
    expect(res.statusCode).toBe(402);
    expect(res.json().code).toBe('payment_declined');
    expect(await f.reservedAt(sku, shop.store.id)).toBe(0);
    expect(await f.count('orders', shop.web)).toBe(0);
    expect((await t().omnis.services.commerce.carts.retrieveCart(cart.id)).status).toBe('open');
  });

  it('pickup at a store that does not have the item is refused naming the stores that do', async () => {
    const shop = await f.aShop([2000], 2);
    const sku = shop.products[0]!.sku;
    const cart = await f.aCart(shop.key, [
      { sku, quantity: 5, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const res = await f.checkout(cart, { payments: f.card() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'insufficient_stock',
      errors: [{ field: 'cart.lines.0.location_id' }],
    });
    expect(await f.count('payments', shop.web)).toBe(0);
  });

  it('a same-day line without a delivery point is refused before anything is held', async () => {
    const shop = await f.aShop([2000]);
    const cart = await f.aCart(shop.key, [
      { sku: shop.products[0]!.sku, quantity: 1, delivery_mode: 'same_day' },
    ]);
    const res = await f.checkout(cart, { payments: f.card() });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'body.delivery_point', message: 'is required for same-day lines' },
    ]);
  });

  it('3-D Secure: checkout waits for the shopper, then the resumed checkout places the paid order', async () => {
    const shop = await f.aShop([2000]);
    const sku = shop.products[0]!.sku;
    const cart = await f.aCart(shop.key, [
      { sku, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const first = await f.checkout(cart, { expected_total: cart.total, payments: f.card('tok_async') });
    expect(first.statusCode, first.body).toBe(202);
    const pending = first.json();
    expect(pending).toMatchObject({ status: 'requires_action', payment: { status: 'requires_action' } });
    expect(pending.reservations_expire_at).not.toBeNull();
    expect(await f.reservedAt(sku, shop.store.id)).toBe(1); // held while the shopper authenticates

    await authenticate(pending.payment.provider_reference);
    const resumed = await f.checkout(cart, {
      expected_total: cart.total,
      payments: [],
      checkout_id: pending.checkout_id,
      payment_id: pending.payment.id,
    });
    expect(resumed.statusCode, resumed.body).toBe(201);
    expect(resumed.json().order.status).toBe('paid');
    expect(await f.reservedAt(sku, shop.store.id)).toBe(1); // the same units, now confirmed for the order
    expect(await f.count('orders', shop.web)).toBe(1);
  });

  it('a checkout resumed after its stock was released is refused and the payment given back', async () => {
    const shop = await f.aShop([2000]);
    const sku = shop.products[0]!.sku;
    const cart = await f.aCart(shop.key, [
      { sku, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const pending = (
      await f.checkout(cart, { expected_total: cart.total, payments: f.card('tok_async') })
    ).json();
    await authenticate(pending.payment.provider_reference);
    // The shopper wandered off: the expiry job released the hold (as it does after the TTL).
    await t().omnis.services.reservations.expireDue(Date.now() + 24 * 3600_000);
    expect(await f.reservedAt(sku, shop.store.id)).toBe(0);

    const late = await f.checkout(cart, {
      payments: [],
      checkout_id: pending.checkout_id,
      payment_id: pending.payment.id,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('reservation_expired');
    const payment = await t().omnis.services.commerce.payments.retrievePayment(pending.payment.id);
    expect(payment.status).toBe('refunded');
    expect(await f.count('orders', shop.web)).toBe(0);
    await expectMoneyInvariant(t());
  });

  it('the same Idempotency-Key sent twice at once makes one order', async () => {
    const shop = await f.aShop([2000]);
    const sku = shop.products[0]!.sku;
    const cart = await f.aCart(shop.key, [{ sku, quantity: 1 }]);
    const payload = { expected_total: cart.total, payments: f.card() };
    const key = { 'idempotency-key': `chk-${cart.id}` };
    const answers = await Promise.all([f.checkout(cart, payload, key), f.checkout(cart, payload, key)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const late = await f.checkout(cart, payload, key);
    expect(late.headers['idempotent-replayed']).toBe('true');
    expect(late.json().order.id).toBe(answers.find((a) => a.statusCode === 201)!.json().order.id);
    expect(await f.count('orders', shop.web)).toBe(1);
    expect(await f.count('payments', shop.web)).toBe(1);
  });

  it('an agent takes a phone order for a customer on invoice', async () => {
    const shop = await f.aShop([2000]);
    const sku = shop.products[0]!.sku;
    const ana = await f.shopper();
    const created = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/carts',
      headers: await t().as('agent'),
      payload: {
        channel_id: shop.web,
        customer_id: ana.id,
        shipping_address: f.address,
        lines: [{ sku, quantity: 1 }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/carts/${created.json().id}/checkout`,
      headers: await t().as('agent'),
      payload: { channel_id: shop.web, payments: [{ provider: 'manual', method: { note: 'INV-1' } }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().order).toMatchObject({
      source: 'phone',
      customer_id: ana.id,
      status: 'pending_payment',
    });
    expect(res.json().order.payments.authorized).toEqual(eur(2500));
  });
});
