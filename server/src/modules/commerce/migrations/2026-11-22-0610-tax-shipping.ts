/**
 * @module Tax rates per region and product category, and shipping rates per method and zone. `scope` is the
 * rate's identity as one text key (country|region|category), so "one rate per scope" is a plain unique index
 * that behaves the same on both dialects (NULLs in unique indexes do not).
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('commerce_tax_rates')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('country', t.text, (c) => c.notNull())
    .addColumn('region', t.text)
    .addColumn('category_id', t.id)
    // Basis points of a percent: 2100 = 21 %. Integers only, so both dialects and every channel agree.
    .addColumn('rate_bp', t.integer, (c) => c.notNull())
    .addColumn('scope', t.text, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('commerce_tax_rates_scope_uq')
    .on('commerce_tax_rates')
    .column('scope')
    .unique()
    .execute();
  await db.schema
    .createIndex('commerce_tax_rates_country_idx')
    .on('commerce_tax_rates')
    .columns(['country', 'id'])
    .execute();

  await db.schema
    .createTable('commerce_shipping_rates')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('method', t.text, (c) => c.notNull())
    .addColumn('countries', t.json, (c) => c.notNull())
    .addColumn('currency', t.text, (c) => c.notNull())
    .addColumn('amount', t.integer, (c) => c.notNull())
    .addColumn('free_over', t.integer)
    .addColumn('tax_inclusive', t.bool, (c) => c.notNull())
    .addColumn('active', t.bool, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('commerce_shipping_rates_method_idx')
    .on('commerce_shipping_rates')
    .columns(['method', 'id'])
    .execute();
}
