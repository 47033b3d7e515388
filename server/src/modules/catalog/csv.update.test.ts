/**
 * A merchant edits products in a spreadsheet and imports the file again: rows whose handle exists change that
 * product, rows whose SKU is one of its variants change that variant, new SKUs add variants, and what the file
 * has no column or row for is kept. A file with one bad row changes nothing, naming row and column.
 */
import { expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';

let serial = 0;

describeEachDialect('CSV import of existing products', (t) => {
  async function send(csv: string) {
    return t().omnis.app.inject({
      method: 'POST',
      url: '/v1/imports/products',
      headers: { ...(await t().as('admin')), 'content-type': 'text/csv' },
      payload: csv,
    });
  }
  const product = (ctx: TestContext, handle: string) =>
    ctx.omnis.services.catalog.products.retrieveProductByIdOrHandle(handle);

  /** A linen shirt in S and M with English and Spanish titles, imported as a new product. */
  async function linenShirt() {
    const n = `${Date.now().toString(36)}${(++serial).toString(36)}`.toUpperCase();
    const handle = `linen-shirt-${n.toLowerCase()}`;
    const sku = (size: string) => `LS-${n}-${size}`;
    const created = await send(
      [
        'handle,status,title_en,title_es,tags,option1_name,option1_value,sku,gtin',
        `${handle},draft,Linen shirt,Camisa de lino,summer,size,S,${sku('S')},`,
        `${handle},draft,Linen shirt,Camisa de lino,summer,size,M,${sku('M')},`,
        '',
      ].join('\n'),
    );
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ created: 1, updated: 0, written: 2 });
    return { handle, sku, before: await product(t(), handle) };
  }

  it('updates the product and its variants, adds a new SKU, and keeps what the file leaves out', async () => {
    const { handle, sku, before } = await linenShirt();
    const res = await send(
      [
        'handle,status,title_en,tags,option1_name,option1_value,sku,gtin',
        `${handle},active,Linen shirt (washed),summer|linen,size,S,${sku('S')},5901234123457`,
        `${handle},active,Linen shirt (washed),summer|linen,size,L,${sku('L')},`,
        '',
      ].join('\n'),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      kind: 'products',
      rows: 2,
      written: 2,
      skipped: 0,
      errors: [],
      created: 0,
      updated: 1,
    });
    const after = await product(t(), handle);
    expect(after.id).toBe(before.id);
    expect(after.status).toBe('active');
    // English changed; the file had no Spanish column, so the Spanish title stays.
    expect(after.title).toEqual({ en: 'Linen shirt (washed)', es: 'Camisa de lino' });
    expect(after.tags).toEqual(['linen', 'summer']);
    expect(after.options).toEqual([{ name: 'size', values: ['S', 'M', 'L'] }]);
    const bySku = new Map(after.variants.map((v) => [v.sku, v]));
    // The same variant, changed in place (prices and stock keep pointing at it).
    expect(bySku.get(sku('S'))).toMatchObject({
      id: before.variants.find((v) => v.sku === sku('S'))!.id,
      gtin: '5901234123457',
    });
    expect(bySku.get(sku('M'))).toMatchObject({ options: { size: 'M' } });
    expect(bySku.get(sku('L'))).toMatchObject({ options: { size: 'L' } });

    // The same file again changes nothing: the product is not even touched.
    const again = await send(
      [
        'handle,status,title_en,tags,option1_name,option1_value,sku,gtin',
        `${handle},active,Linen shirt (washed),summer|linen,size,S,${sku('S')},5901234123457`,
        '',
      ].join('\n'),
    );
    expect(again.statusCode, again.body).toBe(200);
    expect((await product(t(), handle)).updated_at).toBe(after.updated_at);
  });

  it('refuses the whole file when one row is wrong, and changes nothing', async () => {
    const { handle, sku, before } = await linenShirt();
    const other = await linenShirt();
    const res = await send(
      [
        'handle,title_en,option1_name,option1_value,sku',
        `${handle},Renamed,size,S,${sku('S')}`,
        // Another product's SKU cannot move here.
        `${handle},Renamed,size,L,${other.sku('M')}`,
        // Size M is already the untouched variant's: two variants would share it.
        `${other.handle},Other,size,M,${other.sku('S')}`,
        '',
      ].join('\n'),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      // A product is written with all its rows or not at all.
      expect.objectContaining({ row: 2, column: 'handle' }),
      expect.objectContaining({
        row: 3,
        column: 'sku',
        reason: `${other.sku('M')} is already the SKU of a variant of ${other.handle}`,
      }),
      expect.objectContaining({
        row: 4,
        column: 'option1_value',
        reason: 'repeats the options of variant 0',
      }),
    ]);
    expect(await product(t(), handle)).toEqual(before);
    expect(await product(t(), other.handle)).toEqual(other.before);
  });

  it('refuses to leave a product without a title, naming the column', async () => {
    const { handle, sku, before } = await linenShirt();
    const res = await send(['handle,title_en,title_es,sku', `${handle},,,${sku('S')}`, ''].join('\n'));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'title_en',
        reason: 'would leave the product without a title',
      }),
    ]);
    expect(await product(t(), handle)).toEqual(before);
  });
});
