/**
 * Carts expire: a visitor who filled a bag and left for good — even mid-payment, with stock held — has the cart
 * deleted by the expiry job once it sat untouched for 30 days, and the units go back on sale; a signed-in
 * customer's cart of the same age is kept (it is their saved bag), and so is a visitor's cart touched recently.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { checkoutFixtures } from './checkout.test-support';

const DAY = 86_400_000;

describeEachDialect('cart expiry', (t) => {
  const f = checkoutFixtures(t);

  const cartRows = async (id: string) => {
    const db = t().omnis.database.db;
    return {
      carts: (await db.selectFrom('commerce_carts').select('id').where('id', '=', id).execute()).length,
      lines: (await db.selectFrom('commerce_cart_lines').select('id').where('cart_id', '=', id).execute())
        .length,
    };
  };

  it('an idle anonymous cart is deleted after 30 days and its held stock released; a customer cart is kept', async () => {
    const shop = await f.aShop([2000]);
    const sku = shop.products[0]!.sku;
    // A visitor got as far as 3-D Secure and never came back: the cart holds a unit at the store.
    const visitor = await f.aCart(shop.key, [
      { sku, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const pending = await f.checkout(visitor, {
      expected_total: visitor.total,
      payments: f.card('tok_async'),
    });
    expect(pending.statusCode, pending.body).toBe(202);
    expect(await f.reservedAt(sku, shop.store.id)).toBe(1);
    // A signed-in customer's bag, as old.
    const ana = await f.shopper();
    const mine = await t().omnis.app.inject({
      method: 'POST',
      url: '/store/v1/carts',
      headers: { ...shop.key, 'x-customer-token': ana.token },
      payload: { lines: [{ sku, quantity: 2 }] },
    });
    expect(mine.statusCode, mine.body).toBe(201);
    const customerCart = mine.json().id as string;

    const { cartExpiry } = t().omnis.services.commerce;
    // Today nothing is old enough.
    await cartExpiry.expireIdleCarts();
    expect(await cartRows(visitor.id)).toEqual({ carts: 1, lines: 1 });

    // 29 days on: still kept. 31 days on: the visitor's cart is gone, with its line, and the unit is free again.
    await cartExpiry.expireIdleCarts(Date.now() + 29 * DAY);
    expect((await cartRows(visitor.id)).carts).toBe(1);
    const result = await cartExpiry.expireIdleCarts(Date.now() + 31 * DAY);
    expect(result.carts).toBeGreaterThanOrEqual(1);
    expect(await cartRows(visitor.id)).toEqual({ carts: 0, lines: 0 });
    expect(await f.reservedAt(sku, shop.store.id)).toBe(0);
    const held = await t().omnis.services.reservations.listReservations({ reference_id: visitor.id });
    expect(held.data.map((r) => r.status)).toEqual(['released']);
    expect(await f.eventsOf(visitor.id)).toEqual(
      expect.arrayContaining([{ type: 'cart.expired', customer_id: null, channel_id: shop.web }]),
    );
    // Its secret opens nothing any more.
    const gone = await t().omnis.app.inject({
      method: 'GET',
      url: `/store/v1/carts/${visitor.id}`,
      headers: visitor.headers,
    });
    expect(gone.statusCode).toBe(404);

    // The customer's cart of the same age is still there, lines and all.
    expect(await cartRows(customerCart)).toEqual({ carts: 1, lines: 1 });
    // A second run finds nothing more of these to do.
    await cartExpiry.expireIdleCarts(Date.now() + 31 * DAY);
    expect(await cartRows(customerCart)).toEqual({ carts: 1, lines: 1 });
  });
});
