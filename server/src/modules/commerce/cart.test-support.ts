/**
 * @module Factories for cart and pricing tests: channels with a currency, products published to them with base
 * prices, storefront keys, customers with a self-service token — each made through the services or the HTTP API
 * as a merchant would, each call with new names (no shared fixtures).
 */
import type { TestContext } from '../../../test/harness';
import type { Actor } from '../../platform/auth/principal';
import { priceFixtures } from '../catalog/price.fixtures';

export const testActor: Actor = { type: 'system', id: null, label: 'test' };
type Ctx = () => TestContext;

let serial = 0;
const next = () => `${Date.now().toString(36)}${(++serial).toString(36)}`;

export function cartFixtures(t: Ctx) {
  const f = priceFixtures(t);

  async function channel(
    kind: 'web' | 'store' | 'app' = 'web',
    config: Record<string, unknown> = { currency: 'EUR' },
  ) {
    return (
      await t().omnis.services.channels.createChannel({ kind, name: `${kind} ${next()}`, config }, testActor)
    ).id;
  }

  /** A product sold in `channels` with one variant at `amount` (tax-inclusive unless said otherwise). */
  async function sellable(
    channels: string[],
    amount: number,
    options: { category_ids?: string[]; tax_inclusive?: boolean } = {},
  ) {
    const product = await f.product({
      sizes: ['M'],
      ...(options.category_ids ? { category_ids: options.category_ids } : {}),
    });
    const variantId = product.variants[0]!;
    const res = await f.api('POST', '/v1/prices', {
      variant_id: variantId,
      currency: 'EUR',
      amount,
      ...(options.tax_inclusive === undefined ? {} : { tax_inclusive: options.tax_inclusive }),
    });
    if (res.statusCode !== 201) throw new Error(`price: ${res.statusCode} ${res.body}`);
    await t().omnis.services.catalog.publication.publish(product.id, channels, testActor);
    const [variant] = await t().omnis.services.catalog.variants.retrieveVariants([variantId]);
    return { product_id: product.id, variant_id: variantId, sku: variant!.sku };
  }

  /** `{ authorization }` of a publishable key of the channel. */
  async function storeKey(channelId: string) {
    const key = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: `shop ${next()}`, channel_id: channelId },
      testActor,
    );
    return { authorization: `Bearer ${key.key}` };
  }

  /** A customer and a self-service token that proves them (X-Customer-Token). */
  async function shopper() {
    const c = await f.customer();
    const link = await t().omnis.services.accessTokens.createPreferenceLink(c.id, {}, testActor);
    return { ...c, token: link.token };
  }

  async function taxRate(body: Record<string, unknown>) {
    const res = await f.api('POST', '/v1/tax-rates', { name: `Rate ${next()}`, ...body });
    if (res.statusCode !== 201) throw new Error(`tax rate: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }

  async function shippingRate(body: Record<string, unknown>) {
    const res = await f.api('POST', '/v1/shipping-rates', {
      name: `Ship ${next()}`,
      currency: 'EUR',
      ...body,
    });
    if (res.statusCode !== 201) throw new Error(`shipping rate: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }

  /** Rows of a table (what a test checks was or was not written). */
  const count = async (table: 'commerce_carts' | 'commerce_cart_lines' | 'commerce_cart_resumes') =>
    Number(
      (
        await t()
          .omnis.database.db.selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Event types appended for an aggregate, in order. */
  const eventsOf = async (aggregateId: string) =>
    (
      await t()
        .omnis.database.db.selectFrom('outbox_events')
        .selectAll()
        .where('aggregate_id', '=', aggregateId)
        .orderBy('position')
        .execute()
    ).map((e) => ({ type: e.type, customer_id: e.customer_id, channel_id: e.channel_id }));

  return { ...f, channel, sellable, storeKey, shopper, taxRate, shippingRate, count, eventsOf };
}
