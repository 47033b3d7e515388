/**
 * @module Factories for checkout, POS and money-invariant tests: a EUR web shop selling from a warehouse (ship)
 * and a store (pickup, POS), products with prices and stock, a shipping rate, a storefront key — built through the
 * services and the HTTP API as a merchant would, with new names on every call — and the shopper's HTTP steps.
 */
import { expect } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { aLocation, allocate, receive, testActor } from '../inventory/inventory.test-support';
import { cartFixtures } from './cart.test-support';

export { levelOf, ledgerVersusLevels } from '../inventory/inventory.test-support';

export const eur = (amount: number) => ({ amount, currency: 'EUR' });

export function checkoutFixtures(t: () => TestContext) {
  const f = cartFixtures(t);

  /** A web shop: `units` of each of `prices.length` products at the warehouse and at the store. */
  async function aShop(prices: number[] = [2000], units = 10) {
    const web = await f.channel('web', { currency: 'EUR', country: 'ES' });
    const warehouse = await aLocation(t(), { kind: 'warehouse', capabilities: ['ship'] });
    const store = await aLocation(t(), {
      kind: 'store',
      capabilities: ['pickup', 'returns', 'ship_from_store'],
    });
    await allocate(t(), web, [{ location_id: warehouse.id }, { location_id: store.id }]);
    const products = [];
    for (const amount of prices) products.push(await f.sellable([web], amount));
    await receive(
      t(),
      products.flatMap((p) => [
        { sku: p.sku, location_id: warehouse.id, quantity: units },
        { sku: p.sku, location_id: store.id, quantity: units },
      ]),
    );
    await f.shippingRate({ method: 'standard', countries: ['ES'], amount: 500 });
    return { web, warehouse, store, products, key: await f.storeKey(web) };
  }

  const address = { name: 'Ana', line1: 'Calle Sol 2', postal_code: '28004', city: 'Madrid', country: 'ES' };

  /** A guest's cart on the storefront; returns its id, secret headers and the total the shopper is shown. */
  async function aCart(
    key: { authorization: string },
    lines: Array<{ sku: string; quantity: number; delivery_mode?: string; location_id?: string }>,
  ) {
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/store/v1/carts',
      headers: key,
      payload: { lines, email: 'guest@example.com', shipping_address: address },
    });
    expect(res.statusCode, res.body).toBe(201);
    const cart = res.json() as { id: string; secret: string; pricing: { grand_total: { amount: number } } };
    return {
      id: cart.id,
      headers: { ...key, 'x-cart-secret': cart.secret },
      total: eur(cart.pricing.grand_total.amount),
    };
  }

  /** The shopper presses "Pay". */
  const checkout = (
    cart: { id: string; headers: Record<string, string> },
    payload: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    t().omnis.app.inject({
      method: 'POST',
      url: `/store/v1/carts/${cart.id}/checkout`,
      headers: { ...cart.headers, ...headers },
      payload,
    });

  const card = (token = 'tok_visa') => [{ provider: 'test', method: { token } }];

  /** Units of a SKU reserved (not yet sold) at a location, from the level. */
  const reservedAt = async (sku: string, locationId: string) =>
    Number(
      (
        await t()
          .omnis.database.db.selectFrom('stock_levels')
          .select('reserved')
          .where('sku', '=', sku)
          .where('location_id', '=', locationId)
          .executeTakeFirstOrThrow()
      ).reserved,
    );

  /** Orders or payments of a channel. */
  const count = async (table: 'orders' | 'payments', channelId: string) =>
    Number(
      (
        await t()
          .omnis.database.db.selectFrom(table)
          .where('channel_id', '=', channelId)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  return { ...f, aShop, aCart, checkout, card, reservedAt, count, address, testActor };
}

/** A store with its POS channel (EUR, Spanish receipts) and a warehouse for endless aisle; web sells from both. */
export function posFixtures(t: () => TestContext) {
  const f = checkoutFixtures(t);

  async function aStore(prices: number[] = [2000], storeUnits = 5, warehouseUnits = 5) {
    const channel = await f.channel('store', { currency: 'EUR', country: 'ES', default_locale: 'es-ES' });
    const web = await f.channel('web', { currency: 'EUR', country: 'ES' });
    const store = await aLocation(t(), { kind: 'store', channel_id: channel });
    const warehouse = await aLocation(t(), { kind: 'warehouse', capabilities: ['ship'] });
    await allocate(t(), channel, [{ location_id: store.id }, { location_id: warehouse.id }]);
    await allocate(t(), web, [{ location_id: store.id }, { location_id: warehouse.id }]);
    const products = [];
    for (const amount of prices) products.push(await f.sellable([channel, web], amount));
    await receive(
      t(),
      products.flatMap((p) => [
        ...(storeUnits ? [{ sku: p.sku, location_id: store.id, quantity: storeUnits }] : []),
        ...(warehouseUnits ? [{ sku: p.sku, location_id: warehouse.id, quantity: warehouseUnits }] : []),
      ]),
    );
    await f.shippingRate({ method: 'standard', countries: ['ES'], amount: 500 });
    return { channel, web, store, warehouse, products };
  }

  /** The associate presses "Charge" (the till sends its own Idempotency-Key, as every retry does). */
  const sell = async (payload: Record<string, unknown>, key: string | null = `sale-${Math.random()}`) =>
    t().omnis.app.inject({
      method: 'POST',
      url: '/v1/pos/sales',
      headers: { ...(await t().as('associate')), ...(key ? { 'idempotency-key': key } : {}) },
      payload,
    });

  return { ...f, aStore, sell };
}
