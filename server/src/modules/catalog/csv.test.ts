/**
 * A merchant moves products, prices and stock between systems as CSV: what one Omnis exports another imports to
 * the same effect; a file with a bad row is refused whole, naming row and column; and the `omnis` CLI shows a
 * progress bar and the report.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { createTestContext, describeEachDialect, type TestContext } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';

const run = promisify(execFile);

/** The shop structure an import relies on: categories, a collection and a warehouse coded WH1. */
async function structure(ctx: TestContext) {
  const { catalog, locations } = ctx.omnis.services;
  const shoes = await catalog.categories.createCategory(
    { handle: 'shoes', name: { en: 'Shoes' } },
    systemActor,
  );
  await catalog.categories.createCategory(
    { handle: 'boots', name: { en: 'Boots' }, parent_id: shoes.id },
    systemActor,
  );
  await catalog.collections.createCollection({ handle: 'winter', title: { en: 'Winter' } }, systemActor);
  return locations.createLocation(
    {
      kind: 'warehouse',
      name: 'Warehouse',
      code: 'WH1',
      address: { line1: 'x', postal_code: '28906', city: 'Getafe', country: 'ES' },
      latitude: 40.3,
      longitude: -3.7,
      timezone: 'Europe/Madrid',
    },
    systemActor,
  );
}

async function send(ctx: TestContext, kind: string, csv: string, query = '') {
  return ctx.omnis.app.inject({
    method: 'POST',
    url: `/v1/imports/${kind}${query}`,
    headers: { ...(await ctx.as('admin')), 'content-type': 'text/csv' },
    payload: csv,
  });
}

async function exported(ctx: TestContext, kind: string): Promise<string> {
  const res = await ctx.omnis.app.inject({
    method: 'GET',
    url: `/v1/exports/${kind}`,
    headers: await ctx.as('analyst'),
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  return res.body;
}

const productsCsv = [
  'handle,status,brand,title_en,title_es,description_en,categories,collections,tags,option1_name,option1_value,option2_name,option2_value,sku,gtin',
  'chelsea-boot,active,Paso Firme,Chelsea boot,"Botín chelsea, piel",Leather,boots,winter,classic|leather,size,40,colour,black,BOOT-40,4006381333931',
  'chelsea-boot,active,Paso Firme,Chelsea boot,"Botín chelsea, piel",Leather,boots,winter,classic|leather,size,41,colour,black,BOOT-41,',
  'plain-tee,draft,,Plain tee,,,,,,,,,,TEE-1,',
  '',
].join('\n');

describeEachDialect('CSV import and export', (t) => {
  it('imports products, prices and stock, and exports them in the layout it imports', async () => {
    await structure(t());
    const products = await send(t(), 'products', productsCsv);
    expect(products.statusCode, products.body).toBe(200);
    expect(products.json()).toEqual({
      kind: 'products',
      rows: 3,
      written: 3,
      skipped: 0,
      errors: [],
      created: 2,
      updated: 0,
    });
    await t().omnis.services.prices.createPriceList({ name: 'Winter sale', type: 'sale' }, systemActor);
    const prices = await send(
      t(),
      'prices',
      'sku,currency,price,price_list\nBOOT-40,EUR,129.95,\nBOOT-41,EUR,129.95,\nBOOT-41,EUR,99.5,Winter sale\nTEE-1,EUR,9,\n',
    );
    expect(prices.statusCode, prices.body).toBe(200);
    const stock = await send(t(), 'stock', 'sku,location,on_hand\nBOOT-40,WH1,7\nTEE-1,WH1,0\n');
    expect(stock.statusCode, stock.body).toBe(200);

    const productsOut = await exported(t(), 'products');
    const pricesOut = await exported(t(), 'prices');
    const stockOut = await exported(t(), 'stock');
    expect(pricesOut).toBe(
      'sku,currency,price,price_list,tax_inclusive\nBOOT-40,EUR,129.95,,true\nBOOT-41,EUR,129.95,,true\nBOOT-41,EUR,99.50,Winter sale,true\nTEE-1,EUR,9.00,,true\n',
    );
    expect(stockOut).toBe(
      'sku,location,on_hand,reserved,safety_stock,available\nBOOT-40,WH1,7,0,0,7\nTEE-1,WH1,0,0,0,0\n',
    );
    const boot = await t().omnis.services.catalog.variants.retrieveVariantByCode('4006381333931');
    expect(boot.product.title).toEqual({ en: 'Chelsea boot', es: 'Botín chelsea, piel' });
    expect(boot.product.tags).toEqual(['classic', 'leather']);

    // A second shop with the same structure imports the first one's export and exports exactly the same files.
    const { ctx: other, close } = await createTestContext(t().dialect);
    try {
      await structure(other);
      await other.omnis.services.prices.createPriceList({ name: 'Winter sale', type: 'sale' }, systemActor);
      for (const [kind, csv] of [
        ['products', productsOut],
        ['prices', pricesOut],
        ['stock', stockOut],
      ] as const) {
        const res = await send(other, kind, csv);
        expect(res.statusCode, res.body).toBe(200);
      }
      expect(await exported(other, 'products')).toBe(productsOut);
      expect(await exported(other, 'prices')).toBe(pricesOut);
      expect(await exported(other, 'stock')).toBe(stockOut);
    } finally {
      await close();
    }
  });

  it('refuses a file with a bad row whole, naming row and column, and writes nothing', async () => {
    const before = await Promise.all(['products', 'prices', 'stock'].map((k) => exported(t(), k)));
    const badProducts = await send(
      t(),
      'products',
      'handle,title_en,sku,gtin\nnew-sock,Sock,SOCK-1,4006381333931\nnew-sock,Sock,SOCK-2,4006381333932\nother,Other,OTHER-1,\n',
    );
    expect(badProducts.statusCode).toBe(422);
    expect(badProducts.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(badProducts.json().errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'gtin',
        reason: '4006381333931 is already a variant’s GTIN',
      }),
      expect.objectContaining({ row: 3, column: 'gtin', reason: 'has a wrong check digit (expected 1)' }),
    ]);
    const badPrices = await send(
      t(),
      'prices',
      'sku,currency,price\nBOOT-40,EUR,10\nTEE-1,EUR,-5\nNOPE,EUR,1.999\n',
    );
    expect(badPrices.statusCode).toBe(422);
    expect(badPrices.json().errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [3, 'price'],
      [4, 'sku'],
      [4, 'price'],
    ]);
    const badStock = await send(
      t(),
      'stock',
      'sku,location,on_hand\nBOOT-40,WH1,3\nBOOT-41,XX9,2\nTEE-1,WH1,1.5\n',
    );
    expect(badStock.statusCode).toBe(422);
    expect(badStock.json().errors).toEqual([
      expect.objectContaining({ row: 3, column: 'location', reason: 'XX9 is not a known location code' }),
      expect.objectContaining({
        row: 4,
        column: 'on_hand',
        reason: 'must be a whole number of units, 0 or more',
      }),
    ]);
    // The good first rows of each file were not written either.
    expect(await Promise.all(['products', 'prices', 'stock'].map((k) => exported(t(), k)))).toEqual(before);
  });

  it('with skip_invalid writes the good rows and reports the bad ones', async () => {
    const res = await send(
      t(),
      'stock',
      'sku,location,on_hand\nBOOT-41,WH1,4\nBOOT-41,XX9,2\n',
      '?skip_invalid=true',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      rows: 2,
      written: 1,
      skipped: 1,
      errors: [{ row: 3, column: 'location' }],
    });
    expect(await exported(t(), 'stock')).toContain('BOOT-41,WH1,4,0,0,4');
  });
});

const dir = mkdtempSync(path.join(tmpdir(), 'omnis-csv-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const omnis = (...args: string[]) =>
  run(
    process.execPath,
    ['--import', 'tsx', path.resolve(import.meta.dirname, '../../cli.ts'), ...args, '--data-dir', dir],
    {
      env: { ...process.env, OMNIS_DEBUG: '' },
    },
  );

it(
  'the CLI shows progress and the report, writes nothing for a bad file, and imports a good one',
  { timeout: 60_000 },
  async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `tee-${i},Tee ${i},TEE-${i},`);
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(
      bad,
      ['handle,title_en,sku,gtin', ...rows, 'broken,Broken,BROKEN-1,4006381333932', ''].join('\n'),
    );
    const report = path.join(dir, 'report.csv');
    const failed = await omnis('import', 'products', bad, '--report', report).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('products validating [##############################] 100% 41/41');
    expect(failed?.stderr).toContain('row 42, gtin: has a wrong check digit (expected 1)');
    expect(failed?.stderr).toContain('omnis: 1 problem(s) in');
    expect(readFileSync(report, 'utf8')).toBe(
      'row,column,reason\n42,gtin,has a wrong check digit (expected 1)\n',
    );
    // Nothing of the bad file was written: the good file's 40 products (same handles) import cleanly below.
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, ['handle,title_en,sku,gtin', ...rows, ''].join('\n'));
    const ok = await omnis('import', 'products', good);
    expect(ok.stderr).toContain('products writing    [##############################] 100% 40/40');
    expect(ok.stdout).toContain('✔ Imported 40 of 40 products row(s).');
    const out = await omnis('export', 'products');
    expect(out.stdout.trim().split('\n')).toHaveLength(41);
  },
);
