/**
 * What shoppers and product search see of prices: a storefront key gets its own channel's price without the
 * lists it did not get, and search facets show the range of computed prices.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { priceFixtures } from './price.fixtures';

describeEachDialect('prices in the storefront and search', (t) => {
  const f = priceFixtures(t);

  it('gives product search a price facet: the range of computed prices, sales included', async () => {
    const tag = `range-${Date.now().toString(36)}`;
    const created = await f.api('POST', '/v1/products', {
      title: { en: 'Range tee' },
      status: 'active',
      tags: [tag],
      options: [{ name: 'size', values: ['S', 'M', 'L'] }],
      variants: ['S', 'M', 'L'].map((size) => ({ sku: `${tag}-${size}`, options: { size } })),
    });
    const [s, m, l] = created.json().variants.map((v: { id: string }) => v.id) as [string, string, string];
    await f.basePrice(s, 1500);
    await f.basePrice(m, 2000);
    await f.basePrice(l, 2500);
    await f.priceList({ type: 'sale', prices: [{ variant_id: s, currency: 'EUR', amount: 999 }] });
    const res = await f.api('GET', `/v1/products?facets=true&tag=${tag}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().facets.price).toEqual({
      min: { amount: 999, currency: 'EUR' },
      max: { amount: 2500, currency: 'EUR' },
    });
  });

  it('answers a storefront with its own channel’s price, without the lists it did not get', async () => {
    const variant = await f.variant();
    await f.basePrice(variant, 4500);
    const store = await f.channel('store');
    await f.priceList({
      name: 'Store',
      channel_ids: [store],
      prices: [{ variant_id: variant, currency: 'EUR', amount: 3900 }],
    });
    const key = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: 'kiosk', channel_id: store },
      systemActor,
    );
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/store/v1/prices?currency=EUR&variant_ids=${variant}`,
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      channel_id: store,
      data: [{ price: { amount: 3900 }, channel_exception: true }],
    });
    expect(res.json().data[0].considered).toBeUndefined();
    const staff = await f.api('GET', `/store/v1/prices?currency=EUR&variant_ids=${variant}`);
    expect(staff.statusCode).toBe(403);
  });
});
