/**
 * A stock controller types the start of a SKU in the console's search box and gets the levels of every SKU that
 * begins with it, whatever the case she typed, page after page, and nothing else — read through an index range,
 * so a catalogue of millions of levels answers as fast as a small one.
 */
import { CompiledQuery, sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { aLocation, receive, unique } from './inventory.test-support';
import { skuPrefixCondition } from './stock.repository';

describeEachDialect('stock search by SKU prefix', (t) => {
  it('finds the levels whose SKU starts with what was typed, ignoring case, and pages through them', async () => {
    const [a, b] = [await aLocation(t()), await aLocation(t())];
    const family = unique('TEE');
    const skus = [`${family}-S`, `${family}-M`, `${family}-L`];
    await receive(t(), [
      ...skus.flatMap((sku) => [
        { sku, location_id: a.id, quantity: 3 },
        { sku, location_id: b.id, quantity: 2 },
      ]),
      // Starts like the family but with another character where the prefix ends: must not match.
      { sku: `${family.slice(0, -1)}Z-S`, location_id: a.id, quantity: 1 },
      // Contains the family but does not start with it.
      { sku: `X${family}-S`, location_id: a.id, quantity: 1 },
    ]);
    const headers = await t().as('agent');
    const list = async (query: string) => {
      const response = await t().omnis.app.inject({ method: 'GET', url: `/v1/stock?${query}`, headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as {
        data: Array<{ sku: string; location_id: string }>;
        next_cursor: string | null;
      };
    };

    const first = await list(`sku_prefix=${family.toLowerCase()}-&limit=4`);
    expect(first.data).toHaveLength(4);
    expect(first.next_cursor).not.toBeNull();
    const second = await list(`sku_prefix=${family.toLowerCase()}-&limit=4&cursor=${first.next_cursor}`);
    expect(second.next_cursor).toBeNull();
    const found = [...first.data, ...second.data];
    expect(found.map((l) => `${l.sku}@${l.location_id}`).sort()).toEqual(
      skus.flatMap((sku) => [`${sku}@${a.id}`, `${sku}@${b.id}`]).sort(),
    );

    const atB = await list(`sku_prefix=${family}&location_id=${b.id}`);
    expect(atB.data.map((l) => l.sku).sort()).toEqual([...skus].sort());
  });

  it('refuses a prefix that no SKU could start with, naming the field', async () => {
    const response = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/stock?sku_prefix=%25TEE',
      headers: await t().as('agent'),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('query.sku_prefix');
  });

  it('reads the levels of a prefix through the upper-case SKU index, not by scanning every level', async () => {
    const { db } = t().omnis.database;
    // The query listLevelRows runs for a search box: the prefix range, in SKU order, one page.
    const compiled = db
      .selectFrom('stock_levels')
      .selectAll()
      .where(skuPrefixCondition(db, 'tee-b'))
      .orderBy('sku')
      .orderBy('location_id')
      .limit(51)
      .compile();
    const plan = await db.transaction().execute(async (trx) => {
      if (t().dialect === 'sqlite')
        return (
          await trx.executeQuery<{ detail: string }>(
            CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
          )
        ).rows
          .map((r) => r.detail)
          .join('\n');
      // The test table is small enough that PostgreSQL would rather read it whole: ask what it would do if not.
      await sql`set local enable_seqscan = off`.execute(trx);
      return (
        await trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
        )
      ).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    });
    expect(plan).toMatch(/stock_levels_sku_upper_idx/);
    expect(plan).not.toMatch(/^SCAN stock_levels$/m);
  });
});
