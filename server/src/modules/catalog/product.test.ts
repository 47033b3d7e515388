/**
 * A merchandiser builds the catalog: products with options, variants, barcodes, localized texts; bad input is
 * refused with the field named and leaves nothing behind; a scanner at the till finds a variant by any code.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { gs1CheckDigit } from './gtin';

/** A valid EAN-13 from twelve digits. */
const ean = (body12: string) => body12 + gs1CheckDigit(body12);
let serial = 0;
const next = () => String(++serial).padStart(5, '0');

interface ShirtBody {
  variants: Array<{ sku: string; gtin: string; options: Record<string, string> }>;
  [field: string]: unknown;
}

function aShirt(overrides: Record<string, unknown> = {}): ShirtBody {
  const n = next();
  return {
    title: { en: `Linen shirt ${n}`, es: `Camisa de lino ${n}`, ru: `Льняная рубашка ${n}` },
    description: { en: 'Washed linen, relaxed fit.' },
    brand: 'Alba',
    options: [
      { name: 'size', label: { en: 'Size', es: 'Talla' }, values: ['S', 'M', 'L'] },
      { name: 'colour', values: ['navy', 'white'] },
    ],
    tags: ['Summer', 'linen'],
    attributes: [
      { key: 'material', type: 'text', value: 'linen' },
      { key: 'weight_g', type: 'number', value: 180 },
      { key: 'organic', type: 'boolean', value: true },
    ],
    variants: [
      { sku: `LIN-${n}-NAVY-S`, gtin: ean(`840000${n}1`), options: { size: 'S', colour: 'navy' } },
      { sku: `LIN-${n}-NAVY-M`, gtin: ean(`840000${n}2`), options: { size: 'M', colour: 'navy' } },
    ],
    ...overrides,
  };
}

describeEachDialect('catalog products', (t) => {
  const api = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    role = 'admin' as const,
  ) =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as(role),
      ...(payload ? { payload: payload as object } : {}),
    });
  const db = () => t().omnis.database.db;
  const count = async (table: 'catalog_products' | 'catalog_variants' | 'catalog_product_tags') =>
    Number(
      (await db()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst())!.n,
    );
  const events = async (type: string) =>
    (await db().selectFrom('outbox_events').select(['type', 'data']).where('type', '=', type).execute())
      .length;

  it('creates a shirt with sizes, colours and barcodes, and reads it in Spanish with English fallback', async () => {
    const created = await api('POST', '/v1/products', aShirt({ handle: 'linen-shirt' }));
    expect(created.statusCode).toBe(201);
    const product = created.json();
    expect(product).toMatchObject({
      handle: 'linen-shirt',
      status: 'draft',
      brand: 'Alba',
      tags: ['linen', 'summer'],
      attributes: [
        { key: 'material', type: 'text', value: 'linen' },
        { key: 'weight_g', type: 'number', value: 180 },
        { key: 'organic', type: 'boolean', value: true },
      ],
      size_chart: null,
      channels: [],
    });
    expect(product.id).toMatch(/^prd_/);
    expect(product.variants).toHaveLength(2);
    expect(product.variants[0].id).toMatch(/^var_/);
    expect(product.variants[1]).toMatchObject({ options: { size: 'M', colour: 'navy' }, position: 1 });

    const es = (await api('GET', `/v1/products/${product.id}?locale=es-MX`)).json();
    expect(es.localized).toEqual({
      locale: 'es',
      title: product.title.es,
      // No Spanish description: the English one stands in.
      description: 'Washed linen, relaxed fit.',
    });
    const pt = (await api('GET', `/v1/products/${product.id}?locale=pt-BR`)).json();
    expect(pt.localized).toMatchObject({ locale: 'en', title: product.title.en });
    expect(await events('product.created')).toBeGreaterThanOrEqual(1);
  });

  it('refuses a wrong GTIN check digit naming the field, and writes nothing', async () => {
    const before = [
      await count('catalog_products'),
      await count('catalog_variants'),
      await events('product.created'),
    ];
    const shirt = aShirt();
    const good = shirt.variants[1]!.gtin;
    const bad = good.slice(0, -1) + String((Number(good.slice(-1)) + 1) % 10);
    const res = await api('POST', '/v1/products', {
      ...shirt,
      variants: [shirt.variants[0], { ...shirt.variants[1], gtin: bad }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([
      { field: 'body.variants.1.gtin', message: `has a wrong check digit (expected ${good.slice(-1)})` },
    ]);
    expect([
      await count('catalog_products'),
      await count('catalog_variants'),
      await events('product.created'),
    ]).toEqual(before);
  });

  it('reports every bad field at once: unknown category, option values, repeated combinations', async () => {
    const shirt = aShirt();
    const res = await api('POST', '/v1/products', {
      ...shirt,
      variants: [
        { sku: `X-${next()}`, options: { size: 'XXL', colour: 'navy' } },
        { sku: `X-${next()}`, options: { size: 'S' } },
        { sku: `X-${next()}`, options: { size: 'S', colour: 'navy' } },
        { sku: `X-${next()}`, options: { size: 'S', colour: 'navy' } },
      ],
      attributes: [{ key: 'weight_g', type: 'number', value: 'heavy' }],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual([
      'body.attributes.0.value',
      'body.variants.0.options.size',
      'body.variants.1.options.colour',
      'body.variants.3.options',
    ]);

    const unknown = await api('POST', '/v1/products', aShirt({ category_ids: ['cat_nope'] }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([
      { field: 'body.category_ids.0', message: 'cat_nope is not a known category' },
    ]);
  });

  it('refuses a SKU or a GTIN another variant has (in any length) with 409 naming the field', async () => {
    const first = (await api('POST', '/v1/products', aShirt())).json();
    const before = await count('catalog_products');
    const again = aShirt();
    const dupSku = await api('POST', '/v1/products', {
      ...again,
      variants: [again.variants[0], { ...again.variants[1], sku: first.variants[0].sku }],
    });
    expect(dupSku.statusCode).toBe(409);
    expect(dupSku.json().errors).toEqual([
      {
        field: 'body.variants.1.sku',
        message: `${first.variants[0].sku} is already used by another variant`,
      },
    ]);
    // The same barcode written as GTIN-14 with a leading zero is the same item.
    const dupGtin = await api('POST', '/v1/products', {
      ...again,
      variants: [{ ...again.variants[0], gtin: `0${first.variants[1].gtin}` }],
    });
    expect(dupGtin.statusCode).toBe(409);
    expect(dupGtin.json().errors[0].field).toBe('body.variants.0.gtin');
    // Twice in one request is the same conflict.
    const twice = await api('POST', '/v1/products', {
      ...again,
      variants: [again.variants[0], { ...again.variants[1], sku: again.variants[0]!.sku }],
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors[0].field).toBe('body.variants.1.sku');
    expect(await count('catalog_products')).toBe(before);
  });

  it('lets exactly one of many concurrent requests take a SKU', async () => {
    const sku = `RACE-${next()}`;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => {
        const shirt = aShirt();
        return api('POST', '/v1/products', {
          ...shirt,
          variants: [{ sku, options: { size: 'S', colour: 'navy' } }],
        });
      }),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409))
      expect(r.json().errors[0]).toMatchObject({ field: 'body.variants.0.sku' });
    expect(
      await db().selectFrom('catalog_variants').select('id').where('sku', '=', sku).execute(),
    ).toHaveLength(1);
  });

  it('creates 2,000 SKUs in one bulk request, and refuses a whole batch with one bad product', async () => {
    const before = await count('catalog_variants');
    const batch = Array.from({ length: 40 }, () => aShirt());
    batch[37] = { ...batch[37]!, category_ids: ['cat_missing'] };
    const refused = await api('POST', '/v1/products/bulk', { products: batch });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      { field: 'body.products.37.category_ids.0', message: 'cat_missing is not a known category' },
    ]);
    expect(await count('catalog_variants')).toBe(before);

    // 250 products × 8 variants = 2,000 SKUs.
    const sizes = ['XS', 'S', 'M', 'L'];
    const products = Array.from({ length: 250 }, () => {
      const n = next();
      return {
        title: { en: `Tee ${n}`, es: `Camiseta ${n}` },
        status: 'active',
        options: [
          { name: 'size', values: sizes },
          { name: 'colour', values: ['black', 'white'] },
        ],
        variants: sizes.flatMap((size, i) =>
          ['black', 'white'].map((colour, j) => ({
            sku: `TEE-${n}-${colour}-${size}`,
            gtin: ean(`77${n}0${i}${j}00`),
            options: { size, colour },
          })),
        ),
      };
    });
    const started = Date.now();
    const created = await api('POST', '/v1/products/bulk', { products });
    const ms = Date.now() - started;
    expect(created.statusCode).toBe(201);
    expect(created.json().ids).toHaveLength(250);
    expect((await count('catalog_variants')) - before).toBe(2000);
    // Generous bound for a shared 2-core machine; typical is well under a few seconds.
    expect(ms).toBeLessThan(20_000);
    const sku = products[5]!.variants[3]!.sku;
    const found = (await api('GET', `/v1/variants/by-code/${sku}`)).json();
    expect(found.variant.sku).toBe(sku);
    expect(found.product.variants).toHaveLength(8);
  });

  it('changes a product: tags and attributes are replaced whole, archiving announces product.archived', async () => {
    const product = (await api('POST', '/v1/products', aShirt())).json();
    const changed = await api('PATCH', `/v1/products/${product.id}`, {
      status: 'active',
      tags: ['Autumn'],
      attributes: [{ key: 'material', type: 'text', value: 'wool' }],
      title: { en: 'Wool shirt', es: 'Camisa de lana' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      status: 'active',
      tags: ['autumn'],
      attributes: [{ key: 'material', type: 'text', value: 'wool' }],
      title: { en: 'Wool shirt', es: 'Camisa de lana' },
    });
    // Options that an existing variant no longer fits are refused.
    const orphan = await api('PATCH', `/v1/products/${product.id}`, {
      options: [{ name: 'size', values: ['S', 'M'] }],
    });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().errors[0].field).toBe('body.options');

    const archivedBefore = await events('product.archived');
    const archived = await api('PATCH', `/v1/products/${product.id}`, { status: 'archived' });
    expect(archived.json().status).toBe('archived');
    expect(await events('product.archived')).toBe(archivedBefore + 1);
    // Archived (ever active) products are kept; only drafts can be deleted.
    const del = await api('DELETE', `/v1/products/${product.id}`);
    expect(del.statusCode).toBe(409);

    const draft = (await api('POST', '/v1/products', aShirt())).json();
    expect((await api('DELETE', `/v1/products/${draft.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/v1/products/${draft.id}`)).statusCode).toBe(404);
    expect(
      await db().selectFrom('catalog_variants').select('id').where('product_id', '=', draft.id).execute(),
    ).toEqual([]);
  });

  it('adds, changes and removes variants, guarding option combinations, SKUs and GTINs', async () => {
    const product = (await api('POST', '/v1/products', aShirt())).json();
    const other = (await api('POST', '/v1/products', aShirt())).json();
    const added = await api('POST', `/v1/products/${product.id}/variants`, {
      sku: `ADD-${next()}`,
      options: { size: 'L', colour: 'white' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json().position).toBe(2);
    const sameOptions = await api('POST', `/v1/products/${product.id}/variants`, {
      sku: `ADD-${next()}`,
      options: { size: 'S', colour: 'navy' },
    });
    expect(sameOptions.statusCode).toBe(400);
    expect(sameOptions.json().errors[0].field).toBe('body.options');
    const takenSku = await api('PATCH', `/v1/products/${product.id}/variants/${added.json().id}`, {
      sku: other.variants[0].sku,
    });
    expect(takenSku.statusCode).toBe(409);
    expect(takenSku.json().errors[0].field).toBe('body.sku');
    const newGtin = ean(`50${next()}00001`);
    const changed = await api('PATCH', `/v1/products/${product.id}/variants/${added.json().id}`, {
      gtin: newGtin,
    });
    expect(changed.json().gtin).toBe(newGtin);
    expect((await api('DELETE', `/v1/products/${product.id}/variants/${added.json().id}`)).statusCode).toBe(
      204,
    );
    expect((await api('GET', `/v1/products/${product.id}`)).json().variants).toHaveLength(2);
    // A variant id under the wrong product is unknown there.
    expect(
      (await api('DELETE', `/v1/products/${other.id}/variants/${product.variants[0].id}`)).statusCode,
    ).toBe(404);
  });

  it('finds a scanned code: SKU, EAN-13, and the UPC-A of the same item; unknown codes are 404', async () => {
    const n = next();
    const upc = `0${n}123456`.slice(0, 11);
    const upcA = upc + gs1CheckDigit(upc); // 12 digits
    const product = (
      await api(
        'POST',
        '/v1/products',
        aShirt({
          variants: [{ sku: `SCAN-${n}`, gtin: `0${upcA}`, options: { size: 'M', colour: 'white' } }],
        }),
      )
    ).json();
    const bySku = await api('GET', `/v1/variants/by-code/SCAN-${n}?locale=ru`);
    expect(bySku.statusCode).toBe(200);
    expect(bySku.json().variant.sku).toBe(`SCAN-${n}`);
    expect(bySku.json().product.id).toBe(product.id);
    expect(bySku.json().product.localized.title).toBe(product.title.ru);
    expect((await api('GET', `/v1/variants/by-code/0${upcA}`)).json().variant.sku).toBe(`SCAN-${n}`);
    expect((await api('GET', `/v1/variants/by-code/${upcA}`)).json().variant.sku).toBe(`SCAN-${n}`);
    expect((await api('GET', `/v1/variants/by-code/00${upcA}`)).json().variant.sku).toBe(`SCAN-${n}`);
    const unknown = await api('GET', '/v1/variants/by-code/4006381333931');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('lets an analyst read the catalog but not change it', async () => {
    const product = (await api('POST', '/v1/products', aShirt())).json();
    const read = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/products/${product.id}`,
      headers: await t().as('analyst'),
    });
    expect(read.statusCode).toBe(200);
    const write = await t().omnis.app.inject({
      method: 'PATCH',
      url: `/v1/products/${product.id}`,
      headers: await t().as('analyst'),
      payload: { status: 'active' },
    });
    expect(write.statusCode).toBe(403);
  });

  it('checks variants named by other parts of the catalog through the service', async () => {
    const product = (await api('POST', '/v1/products', aShirt())).json();
    const { variants } = t().omnis.services.catalog;
    const found = await variants.retrieveVariants([product.variants[1].id, 'var_unknown']);
    expect(found.map((v) => v.sku)).toEqual([product.variants[1].sku]);
    const bySku = await variants.retrieveVariantsBySku([product.variants[0].sku, 'NOPE']);
    expect(bySku.map((v) => v.id)).toEqual([product.variants[0].id]);
  });
});
