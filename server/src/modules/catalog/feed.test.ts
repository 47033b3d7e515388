/**
 * A merchant hands Google Merchant Center the feed URL of a channel and sees exactly what that channel sells, at
 * that channel's price (a sale as sale_price) and with that channel's availability.
 */
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { feedPrice, googlePricing, xmlText, type GoogleFeedItem } from './feed.google';
import { renderGoogleTsv } from './feed.google.tsv';

/** `<g:tag>value</g:tag>` of each item, by SKU (values as written, still escaped). */
function itemsOf(xml: string): Map<string, Record<string, string[]>> {
  const items = new Map<string, Record<string, string[]>>();
  for (const [, body] of xml.matchAll(/<item>(.*?)<\/item>/gs)) {
    const fields: Record<string, string[]> = {};
    for (const [, tag, value] of body!.matchAll(/<g:([a-z_]+)>(.*?)<\/g:\1>/gs))
      (fields[tag!] ??= []).push(value!);
    items.set(fields.id![0]!, fields);
  }
  return items;
}

const xmlUnescape = (value: string) =>
  value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The XML feed's items with their values unescaped, to compare with the TSV's. */
const xmlItems = (xml: string) =>
  new Map(
    [...itemsOf(xml)].map(([sku, fields]) => [
      sku,
      Object.fromEntries(Object.entries(fields).map(([k, values]) => [k, values.map(xmlUnescape)])),
    ]),
  );

/**
 * The TSV's lines parsed back (RFC 4180 quoting, tab-delimited), as the XML helper gives them: by SKU, each
 * non-empty cell as a list of values, `additional_image_link` split on the commas outside quotes.
 */
function tsvItems(tsv: string): { header: string[]; items: Map<string, Record<string, string[]>> } {
  const [header, ...rows] = parse(tsv, { delimiter: '\t', relax_column_count: false }) as string[][];
  const items = new Map<string, Record<string, string[]>>();
  for (const row of rows) {
    const fields: Record<string, string[]> = {};
    header!.forEach((name, i) => {
      const cell = row[i]!;
      if (cell === '') return;
      fields[name] =
        name === 'additional_image_link' ? (parse(cell, { delimiter: ',' }) as string[][])[0]! : [cell];
    });
    items.set(fields.id![0]!, fields);
  }
  return { header: header!, items };
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
    // Sale dates are written in the channel's own time zone.
    const outlet = await channels.createChannel(
      {
        kind: 'web',
        name: 'Outlet',
        config: { url: 'https://outlet.example', currency: 'EUR', timezone: 'Europe/Madrid' },
      },
      systemActor,
    );
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
    // Text a tab-separated file cannot hold as is: a tab, line breaks and quotes; an image URL with a comma.
    const belt = await catalog.products.createProduct(
      {
        title: { en: 'Belt "Western"' },
        description: { en: 'Full grain\tleather.\r\nBrass buckle,\n\nhand stitched.' },
        status: 'active',
        media: [
          { url: 'https://cdn.example/belt.jpg' },
          { url: 'https://img.example/c_fill,w_800/belt-2.jpg' },
          { url: 'https://cdn.example/belt-3.jpg' },
        ],
        variants: [{ sku: 'BELT-1' }],
      },
      systemActor,
    );
    await catalog.publication.publish(product.id, [web.id, store.id, outlet.id], systemActor);
    await catalog.publication.publish(hidden.id, [web.id], systemActor);
    await catalog.publication.publish(belt.id, [outlet.id], systemActor);
    const [v40, v41] = product.variants;
    await prices.upsertPrices(
      [
        { variant_id: v40!.id, currency: 'EUR', amount: 12995 },
        { variant_id: v41!.id, currency: 'EUR', amount: 12995 },
        { variant_id: hidden.variants[0]!.id, currency: 'EUR', amount: 2000 },
        { variant_id: belt.variants[0]!.id, currency: 'EUR', amount: 4500 },
      ],
      systemActor,
    );
    await prices.createPriceList(
      {
        name: 'Outlet season',
        type: 'sale',
        channel_ids: [outlet.id],
        // Seconds and milliseconds: Google's dates stop at the minute.
        starts_at: '2020-03-01T08:30:15Z',
        ends_at: '2099-12-31T22:59:59.999Z',
        prices: [{ variant_id: v40!.id, currency: 'EUR', amount: 8995 }],
      },
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
    return { web, store, outlet, product };
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
    // That sale's list has no end: Google's range needs one, so no date, and the sale applies until it changes.
    expect(items.get('BOOT-41')).not.toHaveProperty('sale_price_effective_date');
  });

  it("dates a scheduled sale in Google's format, in the channel's time zone; no sale, no date", async () => {
    const { outlet } = await shop();
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/feeds/google/${outlet.id}`,
      headers: await t().as('analyst'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = itemsOf(res.body);
    expect(items.get('BOOT-40')).toMatchObject({
      price: ['129.95 EUR'],
      sale_price: ['89.95 EUR'],
      // Madrid is UTC+1 in March and December; both ends cut to the minute.
      sale_price_effective_date: ['2020-03-01T09:30+0100/2099-12-31T23:59+0100'],
    });
    // The outlet's sale is for BOOT-40 only, and the web's sale is not the outlet's.
    expect(items.get('BOOT-41')).toMatchObject({ price: ['129.95 EUR'] });
    expect(items.get('BOOT-41')).not.toHaveProperty('sale_price');
    expect(items.get('BOOT-41')).not.toHaveProperty('sale_price_effective_date');
  });

  it("serves the same items as a tab-separated file, under a header row of Google's attribute names", async () => {
    const { web } = await shop();
    const headers = await t().as('analyst');
    const url = `/v1/feeds/google/${web.id}`;
    const xml = await t().omnis.app.inject({ method: 'GET', url, headers });
    const tsv = await t().omnis.app.inject({ method: 'GET', url: `${url}?format=tsv`, headers });
    expect(tsv.statusCode, tsv.body).toBe(200);
    expect(tsv.headers['content-type']).toBe('text/tab-separated-values; charset=utf-8');
    expect(tsv.headers['x-feed-items']).toBe('2');
    expect(tsv.headers['x-feed-unpriced']).toBe('1');
    const parsed = tsvItems(tsv.body);
    expect(parsed.header).toEqual([
      'id',
      'title',
      'description',
      'link',
      'image_link',
      'additional_image_link',
      'availability',
      'price',
      'sale_price',
      'sale_price_effective_date',
      'condition',
      'brand',
      'gtin',
      'identifier_exists',
      'item_group_id',
      'size',
      'color',
      'gender',
      'age_group',
      'product_type',
    ]);
    expect(parsed.items).toEqual(xmlItems(xml.body));
    expect(parsed.items.get('BOOT-40')!.title).toEqual(['Botines <chelsea> & co']);
    // One line per item after the header, each with a cell per column.
    const lines = tsv.body.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    for (const line of lines.slice(0, 3)) expect(line.split('\t')).toHaveLength(20);
  });

  it('keeps tabs, line breaks, quotes and commas from breaking the TSV, for a publishable key too', async () => {
    const { outlet } = await shop();
    const key = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: 'outlet', channel_id: outlet.id },
      systemActor,
    );
    const headers = { authorization: `Bearer ${key.key}` };
    const xml = await t().omnis.app.inject({ method: 'GET', url: '/store/v1/feeds/google', headers });
    const tsv = await t().omnis.app.inject({
      method: 'GET',
      url: '/store/v1/feeds/google?format=tsv',
      headers,
    });
    expect(tsv.statusCode, tsv.body).toBe(200);
    expect(tsv.headers['content-type']).toBe('text/tab-separated-values; charset=utf-8');
    const fromTsv = tsvItems(tsv.body).items;
    expect(fromTsv.get('BELT-1')).toMatchObject({
      title: ['Belt "Western"'],
      // Each run of tabs and line breaks is one space: the item stays on one line.
      description: ['Full grain leather. Brass buckle, hand stitched.'],
      image_link: ['https://cdn.example/belt.jpg'],
      additional_image_link: [
        'https://img.example/c_fill,w_800/belt-2.jpg',
        'https://cdn.example/belt-3.jpg',
      ],
    });
    // As written: quotes doubled inside a quoted cell; the URL with a comma quoted inside the repeated cell.
    const beltLine = tsv.body.split('\n').find((line) => line.startsWith('BELT-1\t'))!;
    expect(beltLine).toContain('\t"Belt ""Western"""\t');
    expect(beltLine).toContain(
      '\t"""https://img.example/c_fill,w_800/belt-2.jpg"",https://cdn.example/belt-3.jpg"\t',
    );
    // Apart from that whitespace, the same items and values as the XML, sale dates included.
    const oneLine = (values: string[]) => values.map((v) => v.replace(/[\t\r\n]+/g, ' '));
    const fromXml = new Map(
      [...xmlItems(xml.body)].map(([sku, fields]) => [
        sku,
        Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, oneLine(v)])),
      ]),
    );
    expect(fromTsv).toEqual(fromXml);
    expect(fromTsv.get('BOOT-40')!.sale_price_effective_date).toEqual([
      '2020-03-01T09:30+0100/2099-12-31T23:59+0100',
    ]);
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
    const storeKey = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: 'store', channel_id: store.id },
      systemActor,
    );
    for (const [url, as] of [
      [`/v1/feeds/google/${store.id}?format=csv`, headers],
      ['/store/v1/feeds/google?format=json', { authorization: `Bearer ${storeKey.key}` }],
    ] as const) {
      const badFormat = await t().omnis.app.inject({ method: 'GET', url, headers: as });
      expect(badFormat.statusCode, url).toBe(400);
      expect(badFormat.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(badFormat.json().errors).toEqual([{ field: 'query.format', message: expect.any(String) }]);
    }
  });
});

it('formats prices and escapes text the way the feed spec wants', () => {
  expect(feedPrice(2995, 'EUR')).toBe('29.95 EUR');
  expect(feedPrice(5, 'EUR')).toBe('0.05 EUR');
  expect(feedPrice(1200, 'JPY')).toBe('1200 JPY');
  expect(feedPrice(1234, 'KWD')).toBe('1.234 KWD');
  expect(xmlText('A & B <c> "d" \'e\'\u0001')).toBe('A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;');
});

it('writes a sale window as Google reads it: to the minute, in the zone, only with an end', () => {
  const at = Date.parse('2026-11-24T10:17:42.500Z');
  const window = (starts_at: string | null, ends_at: string | null) => ({
    starts_at: starts_at === null ? null : Date.parse(starts_at),
    ends_at: ends_at === null ? null : Date.parse(ends_at),
  });
  const sale = (w: ReturnType<typeof window> | null, zone = 'UTC') =>
    googlePricing({ amount: 2395, compare_at: 2995, sale: w }, 'EUR', at, zone);

  expect(sale(window('2026-11-20T00:00:00Z', '2026-12-01T23:59:59Z'))).toEqual({
    price: '29.95 EUR',
    sale_price: '23.95 EUR',
    sale_price_effective_date: '2026-11-20T00:00+0000/2026-12-01T23:59+0000',
  });
  // New York is UTC-5 in November; a sale without a start is running, so the feed's time stands in.
  expect(sale(window(null, '2026-12-01T05:00:00Z'), 'America/New_York').sale_price_effective_date).toBe(
    '2026-11-24T05:17-0500/2026-12-01T00:00-0500',
  );
  // No end: no range to write; the sale applies until the feed says otherwise.
  expect(sale(window('2026-11-20T00:00:00Z', null))).toEqual({
    price: '29.95 EUR',
    sale_price: '23.95 EUR',
    sale_price_effective_date: null,
  });
  expect(sale(null).sale_price_effective_date).toBeNull();
  // Ending within this minute: too short for Google's minutes, so the regular price shows.
  expect(sale(window(null, '2026-11-24T10:17:59Z'))).toEqual({
    price: '29.95 EUR',
    sale_price: null,
    sale_price_effective_date: null,
  });
  // No sale: the price alone.
  expect(googlePricing({ amount: 2995, compare_at: null, sale: null }, 'EUR', at, 'UTC')).toEqual({
    price: '29.95 EUR',
    sale_price: null,
    sale_price_effective_date: null,
  });
});

it('renders a TSV that parses back to the items, whatever their text holds', () => {
  const item: GoogleFeedItem = {
    id: 'SKU-1',
    title: '"Quoted" title\twith a tab',
    description: 'Line one\nline two\r\n\r\nline three\u0001',
    link: 'https://shop.example/products/a?variant=var_1',
    image_link: null,
    additional_image_links: ['https://img.example/a,b.jpg', 'https://img.example/c.jpg'],
    availability: 'in_stock',
    price: '10.00 EUR',
    sale_price: null,
    sale_price_effective_date: null,
    gtin: null,
    brand: null,
    item_group_id: 'prd_1',
    size: null,
    color: null,
    gender: null,
    age_group: null,
    product_type: 'Shoes > Boots',
  };
  const tsv = renderGoogleTsv({
    title: 'Shop',
    link: 'https://shop.example',
    description: '',
    items: [item],
  });
  const { items } = tsvItems(tsv);
  expect(items.get('SKU-1')).toEqual({
    id: ['SKU-1'],
    title: ['"Quoted" title with a tab'],
    description: ['Line one line two line three'],
    link: ['https://shop.example/products/a?variant=var_1'],
    additional_image_link: ['https://img.example/a,b.jpg', 'https://img.example/c.jpg'],
    availability: ['in_stock'],
    price: ['10.00 EUR'],
    condition: ['new'],
    identifier_exists: ['no'],
    item_group_id: ['prd_1'],
    product_type: ['Shoes > Boots'],
  });
  expect(tsv.split('\n')).toHaveLength(3);
});
