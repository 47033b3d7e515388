/**
 * A merchant hands Google Merchant Center the feed URL of a channel and sees exactly what that channel sells, at
 * that channel's price (a sale as sale_price) and with that channel's availability.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { feedPrice, xmlText } from './feed.google';

/** `<g:tag>value</g:tag>` of each item, by SKU. */
function itemsOf(xml: string): Map<string, Record<string, string[]>> {
  const items = new Map<string, Record<string, string[]>>();
  for (const [, body] of xml.matchAll(/<item>(.*?)<\/item>/g)) {
    const fields: Record<string, string[]> = {};
    for (const [, tag, value] of body!.matchAll(/<g:([a-z_]+)>(.*?)<\/g:\1>/g))
      (fields[tag!] ??= []).push(value!);
    items.set(fields.id![0]!, fields);
  }
  return items;
}

describeEachDialect('Google product feed', (t) => {
  // One shop per dialect, made by the first test that needs it (the tests only read it).
  let made: ReturnType<typeof makeShop> | undefined;
  const shop = () => (made ??= makeShop());
  async function makeShop() {
    const { channels, catalog, prices, locations, stock, allocations } = t().omnis.services;
    const web = await channels.createChannel(
      {
        kind: 'web',
        name: 'Web & Co',
        config: { url: 'https://shop.example/', currency: 'EUR', default_locale: 'es' },
      },
      systemActor,
    );
    const store = await channels.createChannel({ kind: 'store', name: 'Store', config: {} }, systemActor);
    const shoes = await catalog.categories.createCategory(
      { handle: 'shoes', name: { en: 'Shoes', es: 'Calzado' } },
      systemActor,
    );
    const boots = await catalog.categories.createCategory(
      { handle: 'boots', name: { en: 'Boots', es: 'Botas' }, parent_id: shoes.id },
      systemActor,
    );
    const product = await catalog.products.createProduct(
      {
        title: { en: 'Chelsea boots', es: 'Botines <chelsea> & co' },
        description: { en: 'Leather', es: 'Piel' },
        status: 'active',
        brand: 'Paso Firme',
        media: [{ url: 'https://cdn.example/boot.jpg' }, { url: 'https://cdn.example/boot-2.jpg' }],
        options: [
          { name: 'size', values: ['40', '41', '42'] },
          { name: 'colour', values: ['black'] },
        ],
        category_ids: [boots.id],
        attributes: [
          { key: 'gender', type: 'text', value: 'women' },
          { key: 'age_group', type: 'text', value: 'adult' },
        ],
        variants: [
          { sku: 'BOOT-40', gtin: '4006381333931', options: { size: '40', colour: 'black' } },
          { sku: 'BOOT-41', options: { size: '41', colour: 'black' } },
          { sku: 'BOOT-42', options: { size: '42', colour: 'black' } },
        ],
      },
      systemActor,
    );
    const hidden = await catalog.products.createProduct(
      { title: { en: 'Draft sandal' }, status: 'draft', variants: [{ sku: 'SANDAL-1' }] },
      systemActor,
    );
    await catalog.publication.publish(product.id, [web.id, store.id], systemActor);
    await catalog.publication.publish(hidden.id, [web.id], systemActor);
    const [v40, v41] = product.variants;
    await prices.upsertPrices(
      [
        { variant_id: v40!.id, currency: 'EUR', amount: 12995 },
        { variant_id: v41!.id, currency: 'EUR', amount: 12995 },
        { variant_id: hidden.variants[0]!.id, currency: 'EUR', amount: 2000 },
      ],
      systemActor,
    );
    await prices.createPriceList(
      {
        name: 'Web sale',
        type: 'sale',
        channel_ids: [web.id],
        prices: [{ variant_id: v41!.id, currency: 'EUR', amount: 9995 }],
      },
      systemActor,
    );
    const warehouse = await locations.createLocation(
      {
        kind: 'warehouse',
        name: 'WH',
        code: 'WH1',
        address: { line1: 'x', postal_code: '28906', city: 'Getafe', country: 'ES' },
        latitude: 40.3,
        longitude: -3.7,
        timezone: 'Europe/Madrid',
      },
      systemActor,
    );
    await allocations.updateAllocation(
      web.id,
      { locations: [{ location_id: warehouse.id, priority: 1 }] },
      systemActor,
    );
    await stock.receiveStock(
      { lines: [{ sku: 'BOOT-40', location_id: warehouse.id, quantity: 3 }] },
      systemActor,
    );
    return { web, store, product };
  }

  it('lists each variant the channel sells with its price, sale price, availability and identifiers', async () => {
    const { web, product } = await shop();
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/feeds/google/${web.id}`,
      headers: await t().as('analyst'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(res.body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0" xmlns:g="http:\/\/base.google.com\/ns\/1.0">/,
    );
    // The draft product is not sold here, and BOOT-42 has no price: Google would reject it, so it is left out.
    expect(res.headers['x-feed-items']).toBe('2');
    expect(res.headers['x-feed-unpriced']).toBe('1');
    const items = itemsOf(res.body);
    expect([...items.keys()]).toEqual(['BOOT-40', 'BOOT-41']);
    expect(items.get('BOOT-40')).toEqual({
      id: ['BOOT-40'],
      // The channel's default locale (es) is used, and the text is escaped.
      title: ['Botines &lt;chelsea&gt; &amp; co'],
      description: ['Piel'],
      link: [`https://shop.example/products/${product.handle}?variant=${product.variants[0]!.id}`],
      image_link: ['https://cdn.example/boot.jpg'],
      additional_image_link: ['https://cdn.example/boot-2.jpg'],
      availability: ['in_stock'],
      price: ['129.95 EUR'],
      condition: ['new'],
      brand: ['Paso Firme'],
      gtin: ['4006381333931'],
      item_group_id: [product.id],
      size: ['40'],
      color: ['black'],
      gender: ['female'],
      age_group: ['adult'],
      product_type: ['Calzado &gt; Botas'],
    });
    // On sale on the web: the regular price stays in price, the sale in sale_price; no stock → out_of_stock.
    expect(items.get('BOOT-41')).toMatchObject({
      price: ['129.95 EUR'],
      sale_price: ['99.95 EUR'],
      availability: ['out_of_stock'],
      identifier_exists: ['no'],
    });
  });

  it('answers for a publishable key’s own channel, in the locale asked for', async () => {
    const { web } = await shop();
    const key = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: 'web', channel_id: web.id },
      systemActor,
    );
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: '/store/v1/feeds/google?locale=en',
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(itemsOf(res.body).get('BOOT-40')!.title).toEqual(['Chelsea boots']);
  });

  it('refuses a channel without a shop URL, an unknown channel, and a bad currency, naming the field', async () => {
    const { store } = await shop();
    const headers = await t().as('admin');
    const noUrl = await t().omnis.app.inject({ method: 'GET', url: `/v1/feeds/google/${store.id}`, headers });
    expect(noUrl.statusCode).toBe(422);
    expect(noUrl.json().errors).toEqual([
      { field: 'params.channel', message: 'has no config.url for product links' },
    ]);
    const unknown = await t().omnis.app.inject({ method: 'GET', url: '/v1/feeds/google/cha_nope', headers });
    expect(unknown.statusCode).toBe(404);
    const badCurrency = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/feeds/google/cha_nope?currency=eur`,
      headers,
    });
    expect(badCurrency.statusCode).toBe(400);
    expect(badCurrency.json().errors[0].field).toBe('query.currency');
  });
});

it('formats prices and escapes text the way the feed spec wants', () => {
  expect(feedPrice(2995, 'EUR')).toBe('29.95 EUR');
  expect(feedPrice(5, 'EUR')).toBe('0.05 EUR');
  expect(feedPrice(1200, 'JPY')).toBe('1200 JPY');
  expect(feedPrice(1234, 'KWD')).toBe('1.234 KWD');
  expect(xmlText('A & B <c> "d" \'e\'\u0001')).toBe('A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;');
});
