/**
 * Shoppers and staff search the catalog: relevance puts title hits first, accents and case never matter (Spanish,
 * Russian), SKUs and barcodes are found, facets count what the other filters leave, and a storefront only ever
 * sees what its channel sells.
 */
import { expect, it } from 'vitest';
import { systemActor } from '../../platform/auth/principal';
import { describeEachDialect, type TestContext } from '../../../test/harness';

interface Fixture {
  web: { authorization: string };
  ids: Record<'nightgown' | 'shirt' | 'toy' | 'boots' | 'sandals' | 'draft', string>;
  categories: Record<'clothing' | 'shirts' | 'shoes', string>;
}

const fixtures = new Map<string, Promise<Fixture>>();

async function build(t: TestContext): Promise<Fixture> {
  const inject = async (method: 'POST', url: string, payload: object) => {
    const res = await t.omnis.app.inject({ method, url, headers: await t.as('admin'), payload });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`);
    return res.json();
  };
  const category = (handle: string, en: string, es: string, parent_id?: string) =>
    inject('POST', '/v1/categories', { handle, name: { en, es }, ...(parent_id ? { parent_id } : {}) });
  const clothing = await category('clothing', 'Clothing', 'Ropa');
  const shirts = await category('shirts', 'Shirts', 'Camisas', clothing.id);
  const shoes = await category('shoes', 'Shoes', 'Zapatos', clothing.id);
  const product = async (body: object) =>
    (await inject('POST', '/v1/products', { status: 'active', ...body })).id as string;
  const ids = {
    nightgown: await product({
      title: { en: 'Cotton nightgown', es: 'Camisón de algodón' },
      brand: 'Alba',
      category_ids: [shirts.id],
      tags: ['sleep'],
      attributes: [{ key: 'material', type: 'text', value: 'cotton' }],
      variants: [{ sku: 'NIGHT-001' }],
    }),
    shirt: await product({
      title: { en: 'Linen shirt', es: 'Camisa de lino' },
      description: { en: 'Softer than cotton, cooler than anything.' },
      brand: 'Alba',
      category_ids: [shirts.id],
      tags: ['summer'],
      attributes: [{ key: 'material', type: 'text', value: 'linen' }],
      variants: [{ sku: 'LIN-SHIRT-042', gtin: '4006381333931' }],
    }),
    toy: await product({
      title: { en: 'Glass ornament', ru: 'Ёлочная игрушка' },
      brand: 'Zeta',
      tags: ['gift'],
      variants: [{ sku: 'ORN-7' }],
    }),
    boots: await product({
      title: { en: 'Leather boots', es: 'Botas de piel' },
      brand: 'Zeta',
      category_ids: [shoes.id],
      tags: ['sale'],
      attributes: [{ key: 'material', type: 'text', value: 'leather' }],
      variants: [{ sku: 'BOOT-1' }],
    }),
    sandals: await product({
      title: { en: 'Leather sandals', es: 'Sandalias de piel' },
      brand: 'Alba',
      category_ids: [shoes.id],
      tags: ['sale', 'summer'],
      attributes: [{ key: 'material', type: 'text', value: 'leather' }],
      variants: [{ sku: 'SAND-1' }],
    }),
    draft: await product({
      status: 'draft',
      title: { en: 'Cotton scarf (draft)' },
      brand: 'Alba',
      variants: [{ sku: 'SCARF-1' }],
    }),
  };
  const channel = await t.omnis.services.channels.createChannel(
    { kind: 'web', name: 'Web shop' },
    systemActor,
  );
  for (const id of [ids.nightgown, ids.shirt, ids.toy, ids.boots, ids.draft])
    await inject('POST', `/v1/products/${id}/publish`, { channel_ids: [channel.id] });
  const key = await t.omnis.services.apiKeys.createApiKey(
    { kind: 'publishable', name: 'web', channel_id: channel.id },
    systemActor,
  );
  return {
    web: { authorization: `Bearer ${key.key}` },
    ids,
    categories: { clothing: clothing.id, shirts: shirts.id, shoes: shoes.id },
  };
}

describeEachDialect('catalog search', (t) => {
  const fixture = () => {
    if (!fixtures.has(t().dialect)) fixtures.set(t().dialect, build(t()));
    return fixtures.get(t().dialect)!;
  };
  const staff = async (query: string) => {
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/products?${query}`,
      headers: await t().as('analyst'),
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((p) => p.id);

  it('ranks a title hit above a description hit', async () => {
    const f = await fixture();
    const order = ids(await staff('q=cotton'));
    // Two titles say cotton; the shirt only mentions it in its description, so it comes last.
    expect(order).toHaveLength(3);
    expect(new Set(order.slice(0, 2))).toEqual(new Set([f.ids.nightgown, f.ids.draft]));
    expect(order[2]).toBe(f.ids.shirt);
  });

  it('ignores accents and case in Spanish and Russian, and matches word prefixes', async () => {
    const f = await fixture();
    for (const q of ['camison', 'CAMISÓN', 'Camisón algodon'])
      expect(ids(await staff(`q=${encodeURIComponent(q)}`))).toEqual([f.ids.nightgown]);
    for (const q of ['елочная', 'ЁЛОЧНАЯ', 'игрушк'])
      expect(ids(await staff(`q=${encodeURIComponent(q)}`))).toEqual([f.ids.toy]);
    // "cami" starts Camisón and Camisa (and Camisas, the category of both).
    expect(new Set(ids(await staff('q=cami')))).toEqual(new Set([f.ids.nightgown, f.ids.shirt]));
    // Words are all required.
    expect(ids(await staff('q=camisa%20piel'))).toEqual([]);
  });

  it('finds products by SKU, by part of a SKU and by barcode', async () => {
    const f = await fixture();
    expect(ids(await staff('q=LIN-SHIRT-042'))).toEqual([f.ids.shirt]);
    expect(ids(await staff('q=linshirt042'))).toEqual([f.ids.shirt]);
    expect(ids(await staff('q=4006381333931'))).toEqual([f.ids.shirt]);
    expect(ids(await staff('q=ORN'))).toEqual([f.ids.toy]);
  });

  it('counts facets over the matching products, each facet without its own filter', async () => {
    const f = await fixture();
    const all = await staff('facets=true&status=active');
    expect(all.facets.total).toBe(5);
    expect(all.facets.brands).toEqual([
      { value: 'Alba', count: 3 },
      { value: 'Zeta', count: 2 },
    ]);
    expect(all.facets.tags).toEqual([
      { value: 'sale', count: 2 },
      { value: 'summer', count: 2 },
      { value: 'gift', count: 1 },
      { value: 'sleep', count: 1 },
    ]);
    expect(all.facets.categories.map((c: { handle: string; count: number }) => [c.handle, c.count])).toEqual([
      ['shirts', 2],
      ['shoes', 2],
    ]);
    expect(all.facets.attributes).toEqual([
      {
        key: 'material',
        values: [
          { value: 'leather', count: 2 },
          { value: 'cotton', count: 1 },
          { value: 'linen', count: 1 },
        ],
      },
    ]);
    expect(all.facets.price).toBeNull();

    // Choosing brand Alba narrows the list and the other facets, but the brand facet still offers Zeta.
    const alba = await staff('facets=true&status=active&brand=Alba');
    expect(alba.facets.total).toBe(3);
    expect(alba.facets.brands).toEqual([
      { value: 'Alba', count: 3 },
      { value: 'Zeta', count: 2 },
    ]);
    expect(alba.facets.attributes[0].values).toEqual([
      { value: 'cotton', count: 1 },
      { value: 'leather', count: 1 },
      { value: 'linen', count: 1 },
    ]);
    const leather = await staff('facets=true&status=active&attr=material:leather&brand=Alba');
    expect(ids(leather)).toEqual([f.ids.sandals]);
    expect(leather.facets.attributes[0].values).toContainEqual({ value: 'linen', count: 1 });
    expect(leather.facets.brands).toEqual([
      { value: 'Alba', count: 1 },
      { value: 'Zeta', count: 1 },
    ]);
  });

  it('filters by a category and everything under it, by tag and by collection', async () => {
    const f = await fixture();
    expect(new Set(ids(await staff(`category_id=${f.categories.clothing}`)))).toEqual(
      new Set([f.ids.nightgown, f.ids.shirt, f.ids.boots, f.ids.sandals]),
    );
    expect(ids(await staff(`category_id=${f.categories.shoes}&tag=SUMMER`))).toEqual([f.ids.sandals]);
    expect(ids(await staff('category_id=cat_unknown'))).toEqual([]);
  });

  it('pages through ranked results without repeats', async () => {
    await fixture();
    const first = await staff('q=cotton&limit=2');
    expect(first.data).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = await staff(`q=cotton&limit=2&cursor=${first.next_cursor}`);
    expect(second.data).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(3);
    const bad = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/products?q=cotton&cursor=nonsense',
      headers: await t().as('analyst'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('query.cursor');
  });

  it('searches the storefront: only products published to its channel and active, in the shopper’s language', async () => {
    const f = await fixture();
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: '/store/v1/products?q=cotton',
      headers: { ...f.web, 'accept-language': 'es-ES,es;q=0.9,en;q=0.5' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // The draft is published but not active; the sandals are active but not published here.
    expect(ids(body)).toEqual([f.ids.nightgown, f.ids.shirt]);
    expect(body.data[0]).toMatchObject({ title: 'Camisón de algodón', locale: 'es' });
    expect(body.facets.total).toBe(2);
    expect(body.facets.categories).toEqual([
      expect.objectContaining({ handle: 'shirts', name: 'Camisas', count: 2 }),
    ]);
    const leather = await t().omnis.app.inject({
      method: 'GET',
      url: '/store/v1/products?q=leather',
      headers: f.web,
    });
    expect(ids(leather.json())).toEqual([f.ids.boots]);
  });
});
