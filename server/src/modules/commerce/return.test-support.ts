/**
 * @module Factories for return tests: a shop with a warehouse and a second store (Barcelona), an online order
 * shipped and paid by card, a POS sale handed over and paid in cash, a customer token and a storefront key — each
 * made through the services or the HTTP API as staff would, with fresh codes — and the ledger and money checks
 * every return test ends with.
 */
import { expect } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { aLocation, ledgerVersusLevels, testActor } from '../inventory/inventory.test-support';
import { aShop, line, placeOrder } from './order.test-support';
import { expectMoneyInvariant } from './payment.test-support';

export { aCustomer, levelOf, testActor, type OrderBody } from './order.test-support';

/** A EUR web channel shipping from a warehouse holding 10 of each SKU, and a Barcelona store holding none. */
export async function aShopWithStores(t: TestContext, skus = 1) {
  const shop = await aShop(t, 10, skus);
  const barcelona = await aLocation(t, { name: 'Barcelona Passeig de Gràcia' });
  return { ...shop, warehouse: shop.store, barcelona };
}

/** An online order of `quantity` × 19.99 shipped from `from`, paid by card through the test processor. */
export async function aShippedCardOrder(
  t: TestContext,
  shop: { channel: { id: string }; sku: string },
  from: string,
  customer: string,
  quantity = 1,
) {
  const { commerce } = t.omnis.services;
  const { order } = await placeOrder(t, {
    channel_id: shop.channel.id,
    customer_id: customer,
    source: 'checkout',
    lines: [line(shop.sku, from, 'ship', quantity)],
  });
  const card = await commerce.payments.createPayment(
    {
      provider: 'test',
      amount: order.totals.total,
      channel_id: shop.channel.id,
      order_id: order.id,
      customer_id: customer,
      method: { token: 'tok_visa' },
    },
    testActor,
  );
  expect(card.status).toBe('captured');
  const fulfilment = order.fulfilments[0]!.id;
  for (const step of ['pick', 'pack', 'ship'] as const)
    await commerce.fulfilments.advance(fulfilment, step, testActor, {
      carrier: 'SEUR',
      tracking_number: '1Z',
    });
  return { order, card };
}

/** A POS sale at `store` handed over at the till and paid in cash. */
export async function aPosSale(
  t: TestContext,
  shop: { channel: { id: string }; sku: string },
  store: string,
  customer: string,
  quantity = 1,
) {
  const { commerce } = t.omnis.services;
  const placed = await commerce.orders.placeOrder(
    {
      channel_id: shop.channel.id,
      customer_id: customer,
      source: 'pos',
      lines: [
        { sku: shop.sku, quantity, unit_price: 1999, delivery: { mode: 'handover', location_id: store } },
      ],
    },
    testActor,
  );
  const order = placed.order;
  await commerce.payments.createPayment(
    {
      provider: 'cash',
      amount: order.totals.total,
      channel_id: shop.channel.id,
      order_id: order.id,
      customer_id: customer,
      method: { tendered: order.totals.total.amount },
    },
    testActor,
  );
  await commerce.fulfilments.advance(order.fulfilments[0]!.id, 'hand_over', testActor);
  return { order };
}

/** A storefront key of the channel and a self-service token of the customer. */
export async function storeCredentials(t: TestContext, channelId: string, customerId: string) {
  const key = await t.omnis.services.apiKeys.createApiKey(
    { kind: 'publishable', name: `shop ${Date.now()}`, channel_id: channelId },
    testActor,
  );
  const link = await t.omnis.services.accessTokens.createPreferenceLink(customerId, {}, testActor);
  return { authorization: `Bearer ${key.key}`, 'x-customer-token': link.token };
}

/** Event types on the customer's timeline. */
export async function timelineTypes(t: TestContext, customerId: string): Promise<string[]> {
  const res = await t.omnis.app.inject({
    method: 'GET',
    url: `/v1/customers/${customerId}/timeline?limit=200`,
    headers: await t.as('agent'),
  });
  return (res.json().data as Array<{ type: string }>).map((e) => e.type);
}

/** The stock ledger sums to every level, and every payment keeps refunded ≤ captured ≤ authorized ≤ amount. */
export async function expectLedgerAndMoney(t: TestContext) {
  for (const l of await ledgerVersusLevels(t)) expect(l.ledger, l.level).toEqual(l.stored);
  await expectMoneyInvariant(t);
}
