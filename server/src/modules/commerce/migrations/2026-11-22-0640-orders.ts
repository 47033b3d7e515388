/**
 * @module Orders: the order with its amounts and (erasable) contact, its lines with delivery per line, its edits,
 * the order number counter, and fulfilments per location and mode. Amounts are integer minor units.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  // One row per business: order numbers come from a guarded UPDATE … RETURNING on it, so concurrent orders
  // wait on the row lock (PostgreSQL) or the single writer (SQLite) and never share a number.
  await db.schema
    .createTable('order_counters')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('last_number', t.integer, (c) => c.notNull())
    .execute();
  await db.insertInto('order_counters').values({ id: 'orders', last_number: 1000 }).execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('number', t.integer, (c) => c.notNull().unique())
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id)
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('currency', t.text, (c) => c.notNull())
    .addColumn('subtotal', t.integer, (c) => c.notNull())
    .addColumn('discount_total', t.integer, (c) => c.notNull())
    .addColumn('shipping_total', t.integer, (c) => c.notNull())
    .addColumn('tax_total', t.integer, (c) => c.notNull())
    .addColumn('total', t.integer, (c) => c.notNull())
    .addColumn('capture_policy', t.text, (c) => c.notNull())
    .addColumn('email', t.text)
    .addColumn('phone', t.text)
    .addColumn('shipping_address', t.json)
    .addColumn('billing_address', t.json)
    .addColumn('external_id', t.text)
    .addColumn('access_secret_hash', t.text, (c) => c.notNull())
    .addColumn('placed_at', t.time, (c) => c.notNull())
    .addColumn('paid_at', t.time)
    .addColumn('cancelled_at', t.time)
    .addColumn('completed_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addCheckConstraint('orders_total_ck', sql`total >= 0`)
    .execute();
  // Both dialects let NULLs repeat in a unique index: only imported orders carry an external id.
  await db.schema
    .createIndex('orders_external_idx')
    .on('orders')
    .columns(['channel_id', 'external_id'])
    .unique()
    .execute();
  await db.schema.createIndex('orders_customer_idx').on('orders').columns(['customer_id', 'id']).execute();
  await db.schema.createIndex('orders_status_idx').on('orders').columns(['status', 'id']).execute();

  await db.schema
    .createTable('order_lines')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id, (c) => c.notNull().references('orders.id'))
    .addColumn('position', t.integer, (c) => c.notNull())
    .addColumn('variant_id', t.id)
    .addColumn('sku', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('quantity', t.integer, (c) => c.notNull())
    .addColumn('unit_price', t.integer, (c) => c.notNull())
    .addColumn('discount', t.integer, (c) => c.notNull())
    .addColumn('tax', t.integer, (c) => c.notNull())
    .addColumn('total', t.integer, (c) => c.notNull())
    .addColumn('delivery_mode', t.text, (c) => c.notNull())
    .addColumn('location_id', t.id, (c) => c.notNull())
    .addColumn('reservation_ids', t.json, (c) => c.notNull())
    .addColumn('fulfilment_id', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addCheckConstraint('order_lines_quantity_ck', sql`quantity > 0`)
    .execute();
  await db.schema.createIndex('order_lines_order_idx').on('order_lines').columns(['order_id']).execute();
  await db.schema
    .createIndex('order_lines_location_idx')
    .on('order_lines')
    .columns(['location_id', 'order_id'])
    .execute();

  await db.schema
    .createTable('order_edits')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id, (c) => c.notNull().references('orders.id'))
    .addColumn('previous_total', t.integer, (c) => c.notNull())
    .addColumn('new_total', t.integer, (c) => c.notNull())
    .addColumn('balance_due', t.integer, (c) => c.notNull())
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_edits_order_idx').on('order_edits').columns(['order_id']).execute();

  await db.schema
    .createTable('fulfilments')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id, (c) => c.notNull().references('orders.id'))
    .addColumn('location_id', t.id, (c) => c.notNull())
    .addColumn('mode', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('carrier', t.text)
    .addColumn('tracking_number', t.text)
    .addColumn('tracking_url', t.text)
    .addColumn('pickup_code_hash', t.text)
    .addColumn('pickup_attempts', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('hold_until', t.time)
    .addColumn('picked_at', t.time)
    .addColumn('packed_at', t.time)
    .addColumn('shipped_at', t.time)
    .addColumn('ready_at', t.time)
    .addColumn('collected_at', t.time)
    .addColumn('out_for_delivery_at', t.time)
    .addColumn('delivered_at', t.time)
    .addColumn('expired_at', t.time)
    .addColumn('cancelled_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fulfilments_order_idx').on('fulfilments').columns(['order_id']).execute();
  // The queue of one location: by status and mode, newest first.
  await db.schema
    .createIndex('fulfilments_queue_idx')
    .on('fulfilments')
    .columns(['location_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('fulfilments_hold_idx')
    .on('fulfilments')
    .columns(['status', 'hold_until'])
    .execute();
}
