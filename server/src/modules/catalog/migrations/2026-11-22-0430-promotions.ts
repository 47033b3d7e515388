/**
 * @module Promotions: codes and automatic offers with their conditions and usage limits, the redemptions that
 * count against those limits, and a per-customer usage counter changed only by guarded atomic statements.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('catalog_promotions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('description', t.text)
    // Upper-cased; null for an automatic promotion.
    .addColumn('code', t.text)
    // percentage | fixed_amount | buy_x_get_y | free_shipping
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('percent', t.integer)
    .addColumn('amount', t.integer)
    .addColumn('currency', t.text)
    .addColumn('buy_quantity', t.integer)
    .addColumn('get_quantity', t.integer)
    .addColumn('get_percent', t.integer)
    .addColumn('max_applications', t.integer)
    // Conditions: JSON arrays of ids, empty = no restriction.
    .addColumn('channel_ids', t.json, (c) => c.notNull())
    .addColumn('segment_ids', t.json, (c) => c.notNull())
    .addColumn('product_ids', t.json, (c) => c.notNull())
    .addColumn('category_ids', t.json, (c) => c.notNull())
    .addColumn('min_subtotal_amount', t.integer)
    .addColumn('min_subtotal_currency', t.text)
    .addColumn('starts_at', t.time)
    .addColumn('ends_at', t.time)
    .addColumn('usage_limit', t.integer)
    .addColumn('usage_limit_per_customer', t.integer)
    // Changed only by `times_used = times_used ± 1 WHERE …` checked by rows affected.
    .addColumn('times_used', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('priority', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  // Codes are unique among promotions that have one; named so a duplicate becomes a 409 naming the field.
  await db.schema
    .createIndex('catalog_promotions_code_uq')
    .on('catalog_promotions')
    .column('code')
    .unique()
    .where(sql.ref('code'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('catalog_promotions_status_idx')
    .on('catalog_promotions')
    .columns(['status', 'id'])
    .execute();

  await db.schema
    .createTable('catalog_promotion_redemptions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('promotion_id', t.id, (c) => c.notNull().references('catalog_promotions.id'))
    // The order or cart the promotion was used for: redeeming twice for one reference is one redemption.
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('customer_id', t.id)
    .addColumn('channel_id', t.id)
    // redeemed | released
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('redeemed_at', t.time, (c) => c.notNull())
    .addColumn('released_at', t.time)
    .execute();
  await db.schema
    .createIndex('catalog_promotion_redemptions_ref_uq')
    .on('catalog_promotion_redemptions')
    .columns(['promotion_id', 'reference'])
    .unique()
    .execute();
  await db.schema
    .createIndex('catalog_promotion_redemptions_reference_idx')
    .on('catalog_promotion_redemptions')
    .column('reference')
    .execute();
  await db.schema
    .createIndex('catalog_promotion_redemptions_customer_idx')
    .on('catalog_promotion_redemptions')
    .column('customer_id')
    .execute();

  await db.schema
    .createTable('catalog_promotion_customer_usage')
    .addColumn('promotion_id', t.id, (c) => c.notNull().references('catalog_promotions.id'))
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('times_used', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_promotion_customer_usage_pk', ['promotion_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('catalog_promotion_customer_usage_customer_idx')
    .on('catalog_promotion_customer_usage')
    .column('customer_id')
    .execute();
}
