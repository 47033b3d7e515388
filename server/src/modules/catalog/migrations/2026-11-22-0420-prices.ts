/**
 * @module Prices: one row per variant, currency and price list (no list = the variant's base price), and price
 * lists — override or sale prices for some channels, segments and a time window, ranked by priority.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('catalog_price_lists')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('description', t.text)
    // `override` replaces the price by priority; `sale` applies only when it is lower (the old price is shown).
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    // JSON arrays of ids; empty = every channel / everyone. Lists are few, so they are filtered in memory.
    .addColumn('channel_ids', t.json, (c) => c.notNull())
    .addColumn('segment_ids', t.json, (c) => c.notNull())
    .addColumn('starts_at', t.time)
    .addColumn('ends_at', t.time)
    .addColumn('priority', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('catalog_prices')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('variant_id', t.id, (c) => c.notNull().references('catalog_variants.id').onDelete('cascade'))
    .addColumn('currency', t.text, (c) => c.notNull())
    // Minor units (cents): never floats.
    .addColumn('amount', t.integer, (c) => c.notNull())
    .addColumn('tax_inclusive', t.bool, (c) => c.notNull())
    .addColumn('price_list_id', t.id, (c) => c.references('catalog_price_lists.id').onDelete('cascade'))
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  // One base price per variant and currency, and one price per list, variant and currency. Two partial indexes
  // because both databases treat NULLs in a unique index as distinct; named so a duplicate becomes a clear 409.
  await db.schema
    .createIndex('catalog_prices_base_uq')
    .on('catalog_prices')
    .columns(['variant_id', 'currency'])
    .unique()
    .where(sql.ref('price_list_id'), 'is', null)
    .execute();
  await db.schema
    .createIndex('catalog_prices_list_uq')
    .on('catalog_prices')
    .columns(['price_list_id', 'variant_id', 'currency'])
    .unique()
    .where(sql.ref('price_list_id'), 'is not', null)
    .execute();
  // Price computation reads every price of some variants in one currency.
  await db.schema
    .createIndex('catalog_prices_variant_idx')
    .on('catalog_prices')
    .columns(['variant_id', 'currency', 'price_list_id'])
    .execute();
}
