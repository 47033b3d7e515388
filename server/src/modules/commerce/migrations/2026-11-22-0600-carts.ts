/**
 * @module Carts and their lines, resume links (a signed token and a short scannable code per link) and the
 * signing keys of those links. A customer has at most one open cart (partial unique index), so claiming and
 * "continue this customer's cart" can never fork it in two.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('commerce_carts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('currency', t.text, (c) => c.notNull())
    // Where the cart was started, where it was last touched, and every channel that touched it.
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('last_channel_id', t.id, (c) => c.notNull())
    .addColumn('channel_ids', t.json, (c) => c.notNull())
    .addColumn('customer_id', t.id)
    .addColumn('anonymous_id', t.text)
    .addColumn('email', t.text)
    .addColumn('shipping_address', t.json)
    .addColumn('shipping_method', t.text, (c) => c.notNull())
    .addColumn('promotion_codes', t.json, (c) => c.notNull())
    .addColumn('merged_into', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('commerce_carts_open_customer_uq')
    .on('commerce_carts')
    .column('customer_id')
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema
    .createIndex('commerce_carts_customer_idx')
    .on('commerce_carts')
    .columns(['customer_id', 'id'])
    .execute();
  await db.schema
    .createIndex('commerce_carts_status_idx')
    .on('commerce_carts')
    .columns(['status', 'id'])
    .execute();

  await db.schema
    .createTable('commerce_cart_lines')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('cart_id', t.id, (c) => c.notNull().references('commerce_carts.id'))
    .addColumn('variant_id', t.id, (c) => c.notNull())
    .addColumn('sku', t.text, (c) => c.notNull())
    .addColumn('quantity', t.integer, (c) => c.notNull())
    // Delivery choice per line (ship | pickup | same_day) and the store for pickup; checkout validates them.
    .addColumn('delivery_mode', t.text, (c) => c.notNull())
    .addColumn('location_id', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addCheckConstraint('commerce_cart_lines_quantity_ck', sql`quantity > 0`)
    .execute();
  // One line per variant: adding the variant again (or merging a cart holding it) adds to its quantity.
  await db.schema
    .createIndex('commerce_cart_lines_variant_uq')
    .on('commerce_cart_lines')
    .columns(['cart_id', 'variant_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('commerce_cart_resumes')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('cart_id', t.id, (c) => c.notNull().references('commerce_carts.id'))
    .addColumn('customer_id', t.id, (c) => c.notNull())
    // sha256 of the short code: a copy of the database cannot open a cart with it.
    .addColumn('code_hash', t.text, (c) => c.notNull())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('commerce_cart_resumes_code_uq')
    .on('commerce_cart_resumes')
    .column('code_hash')
    .unique()
    .execute();
  await db.schema
    .createIndex('commerce_cart_resumes_cart_idx')
    .on('commerce_cart_resumes')
    .columns(['cart_id', 'id'])
    .execute();

  // One HMAC key per purpose, made on first use and shared by every server process through the database.
  await db.schema
    .createTable('commerce_signing_keys')
    .addColumn('purpose', t.text, (c) => c.primaryKey())
    .addColumn('secret', t.text, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
}
