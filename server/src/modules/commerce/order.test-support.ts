/**
 * @module Factories for order tests: a EUR channel selling from a stocked store, a catalog product per SKU, a
 * customer — each made through the services as a user would, each call with its own codes so tests never share
 * state — and a stand-in for what payments will report, until the payments service is wired to orders.
 */
import { expect } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { aLocation, allocate, receive, testActor, unique } from '../inventory/inventory.test-support';

export { levelOf, ledgerVersusLevels, testActor, unique } from '../inventory/inventory.test-support';

/** A channel in EUR selling from one store that holds `units` of each of `skus` fresh catalog SKUs. */
export async function aShop(t: TestContext, units = 10, skus = 1) {
  const { channels, catalog, prices } = t.omnis.services;
  const channel = await channels.createChannel(
    { kind: 'web', name: unique('Web '), config: { currency: 'EUR' } },
    testActor,
  );
  const store = await aLocation(t);
  await allocate(t, channel.id, [{ location_id: store.id }]);
  const codes = Array.from({ length: skus }, () => unique('TEE-'));
  for (const sku of codes) {
    const product = await catalog.products.createProduct(
      { title: { en: 'Linen shirt' }, status: 'active', variants: [{ sku }] },
      testActor,
    );
    // The catalog price is what an edited order is re-priced at; lines entered by an agent say the same.
    await prices.createPrice(
      { variant_id: product.variants[0]!.id, currency: 'EUR', amount: line(sku, '').unit_price },
      testActor,
    );
  }
  await receive(
    t,
    codes.map((sku) => ({ sku, location_id: store.id, quantity: units })),
  );
  return { channel, store, sku: codes[0]!, skus: codes };
}

export async function aCustomer(t: TestContext) {
  const result = await t.omnis.services.identity.resolve({
    identifiers: [{ type: 'email', value: `${unique('ana')}@example.com`.toLowerCase() }],
    profile: { first_name: 'Ana' },
    actor: testActor,
    reason: 'test',
  });
  return result.customerId;
}

/** A line as an agent enters it: 19.99 EUR a unit. */
export const line = (sku: string, location_id: string, mode = 'ship', quantity = 1) => ({
  sku,
  quantity,
  unit_price: 1999,
  delivery: { mode, location_id },
});

/** Places an order over HTTP as an agent; returns the response body. */
export async function placeOrder(t: TestContext, payload: Record<string, unknown>) {
  const res = await t.omnis.app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: await t.as('agent'),
    payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { order: OrderBody; access_secret: string };
}

export interface OrderBody {
  id: string;
  number: number;
  display_number: string;
  status: string;
  customer_id: string | null;
  totals: { total: { amount: number; currency: string } };
  lines: Array<{ id: string; sku: string; reservation_ids: string[]; fulfilment_id: string }>;
  fulfilments: Array<{ id: string; mode: string; status: string; location_id: string }>;
}

/** Pays the order in cash at the till (a real captured payment); the payments service moves the order to paid. */
export async function payInFull(t: TestContext, orderId: string, amount: number) {
  const { orders, payments } = t.omnis.services.commerce;
  const order = await orders.retrieveOrder(orderId);
  await payments.createPayment(
    {
      provider: 'cash',
      order_id: orderId,
      channel_id: order.channel_id,
      amount: { amount, currency: order.currency },
      method: { tendered: amount },
    },
    testActor,
  );
}

export async function post(
  t: TestContext,
  url: string,
  payload?: Record<string, unknown>,
  role: 'associate' | 'agent' = 'associate',
) {
  return t.omnis.app.inject({
    method: 'POST',
    url,
    headers: await t.as(role),
    ...(payload ? { payload } : {}),
  });
}

/** An order of `quantity` units at €19.99 placed by phone, for tests that take payments against a real order. */
export async function anOrder(t: TestContext, quantity = 1): Promise<OrderBody> {
  const { channel, store, sku } = await aShop(t, quantity);
  const { order } = await placeOrder(t, {
    channel_id: channel.id,
    customer_id: await aCustomer(t),
    lines: [line(sku, store.id, 'ship', quantity)],
  });
  return order;
}
