/**
 * A shopper narrows the tees to "€15 to €25": product search (staff and storefront) keeps the products with a
 * variant priced in that range — the price the channel really charges, sales and the channel's own list included
 * — while the price facet still shows the whole range to move the slider in; a range upside down is refused.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { priceFixtures } from './price.fixtures';

describeEachDialect('product search by price', (t) => {
  const f = priceFixtures(t);

  /** Three tees under one tag: cheap (€9.99), mid (S €15 / M €20), dear (€40, €22 on the store's own list). */
  async function tees() {
    const tag = `price-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const make = async (name: string, sizes: string[]) => {
      const res = await f.api('POST', '/v1/products', {
        title: { en: `${name} tee` },
        status: 'active',
        tags: [tag],
        options: [{ name: 'size', values: sizes }],
        variants: sizes.map((size) => ({ sku: `${tag}-${name}-${size}`, options: { size } })),
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json() as { id: string; variants: Array<{ id: string }> };
      return { id: body.id, variants: body.variants.map((v) => v.id) };
    };
    const cheap = await make('cheap', ['M']);
    const mid = await make('mid', ['S', 'M']);
    const dear = await make('dear', ['M']);
    await f.basePrice(cheap.variants[0]!, 1999);
    // A sale brings the cheap tee under €10: the filter sees the price the shopper pays.
    await f.priceList({
      type: 'sale',
      prices: [{ variant_id: cheap.variants[0]!, currency: 'EUR', amount: 999 }],
    });
    await f.basePrice(mid.variants[0]!, 1500);
    await f.basePrice(mid.variants[1]!, 2000);
    await f.basePrice(dear.variants[0]!, 4000);
    const store = await f.channel('store');
    await f.priceList({
      name: 'Store prices',
      channel_ids: [store],
      prices: [{ variant_id: dear.variants[0]!, currency: 'EUR', amount: 2200 }],
    });
    for (const p of [cheap, mid, dear]) {
      const published = await f.api('POST', `/v1/products/${p.id}/publish`, { channel_ids: [store] });
      expect(published.statusCode, published.body).toBeLessThan(300);
    }
    return { tag, store, cheap: cheap.id, mid: mid.id, dear: dear.id };
  }

  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((p) => p.id).sort();

  it('keeps the products with a variant priced within the range, and the facet keeps the whole range', async () => {
    const { tag, cheap, mid, dear } = await tees();
    const res = await f.api('GET', `/v1/products?tag=${tag}&price_min=1500&price_max=2500&facets=true`);
    expect(res.statusCode, res.body).toBe(200);
    expect(ids(res.json())).toEqual([mid]);
    expect(res.json().facets.total).toBe(1);
    // The slider still spans every price among the tees, from the sale price to the dearest.
    expect(res.json().facets.price).toEqual({
      min: { amount: 999, currency: 'EUR' },
      max: { amount: 4000, currency: 'EUR' },
    });

    // Either end alone; bounds are inclusive.
    const upTo = await f.api('GET', `/v1/products?tag=${tag}&price_max=1500`);
    expect(ids(upTo.json())).toEqual([cheap, mid].sort());
    const from = await f.api('GET', `/v1/products?tag=${tag}&price_min=2001`);
    expect(ids(from.json())).toEqual([dear]);
    // Nothing priced in another currency: nothing matches, rather than comparing euros with pounds.
    const pounds = await f.api('GET', `/v1/products?tag=${tag}&price_min=0&price_currency=GBP`);
    expect(pounds.json().data).toEqual([]);
    // With full text too: the ranking path applies the same filter.
    const text = await f.api('GET', `/v1/products?q=tee&tag=${tag}&price_min=1500&price_max=2500`);
    expect(ids(text.json())).toEqual([mid]);
  });

  it('filters a storefront by the price its own channel charges', async () => {
    const { tag, store, mid, dear } = await tees();
    const key = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: `kiosk ${tag}`, channel_id: store },
      systemActor,
    );
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/store/v1/products?tag=${tag}&price_min=1500&price_max=2500`,
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    // The dear tee costs €22 in this store (its own list), so it is in range here and not on the staff default.
    expect(ids(res.json())).toEqual([mid, dear].sort());
    const staff = await f.api('GET', `/v1/products?tag=${tag}&price_min=1500&price_max=2500`);
    expect(ids(staff.json())).toEqual([mid]);
    const staffForStore = await f.api(
      'GET',
      `/v1/products?tag=${tag}&published_to=${store}&price_min=1500&price_max=2500`,
    );
    expect(ids(staffForStore.json())).toEqual([mid, dear].sort());
  });

  it('refuses a range upside down or negative, naming the field', async () => {
    const reversed = await f.api('GET', '/v1/products?price_min=3000&price_max=1000');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors[0].field).toBe('query.price_max');
    const negative = await f.api('GET', '/v1/products?price_min=-1');
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].field).toBe('query.price_min');
  });
});
