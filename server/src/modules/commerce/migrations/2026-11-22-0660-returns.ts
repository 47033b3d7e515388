/**
 * @module Returns: policy rules, returns (RMA) with their lines, and a per-order-line counter of returned units
 * whose guarded UPDATE stops two returns from taking back the same unit.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('return_policies')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('channel_id', t.id)
    .addColumn('category_id', t.id)
    .addColumn('tag', t.text)
    .addColumn('window_days', t.integer)
    .addColumn('final_sale', t.bool, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addCheckConstraint('return_policies_window_ck', sql`window_days is null or window_days >= 0`)
    .execute();

  await db.schema
    .createTable('returns')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id, (c) => c.notNull().references('orders.id'))
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id)
    .addColumn('method', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('currency', t.text, (c) => c.notNull())
    .addColumn('location_id', t.id)
    .addColumn('refund_total', t.integer, (c) => c.notNull())
    .addColumn('refunded_amount', t.integer, (c) => c.notNull())
    .addColumn('refund_method', t.text)
    .addColumn('note', t.text)
    .addColumn('override_reason', t.text)
    .addColumn('override_actor_id', t.id)
    .addColumn('exchange_order_id', t.id)
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.id)
    .addColumn('requested_at', t.time, (c) => c.notNull())
    .addColumn('received_at', t.time)
    .addColumn('inspected_at', t.time)
    .addColumn('refunded_at', t.time)
    .addColumn('completed_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addCheckConstraint('returns_refunded_ck', sql`refunded_amount >= 0 and refunded_amount <= refund_total`)
    .execute();
  await db.schema.createIndex('returns_order_idx').on('returns').columns(['order_id']).execute();
  await db.schema.createIndex('returns_customer_idx').on('returns').columns(['customer_id', 'id']).execute();
  await db.schema.createIndex('returns_status_idx').on('returns').columns(['status', 'id']).execute();
  await db.schema.createIndex('returns_location_idx').on('returns').columns(['location_id', 'id']).execute();

  await db.schema
    .createTable('return_lines')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('return_id', t.id, (c) => c.notNull().references('returns.id'))
    .addColumn('order_line_id', t.id, (c) => c.notNull())
    .addColumn('sku', t.text, (c) => c.notNull())
    .addColumn('quantity', t.integer, (c) => c.notNull())
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('note', t.text)
    .addColumn('outcome', t.text)
    .addColumn('amount', t.integer, (c) => c.notNull())
    .addColumn('exchanged', t.bool, (c) => c.notNull())
    .addColumn('inspected_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addCheckConstraint('return_lines_quantity_ck', sql`quantity > 0`)
    .execute();
  await db.schema.createIndex('return_lines_return_idx').on('return_lines').columns(['return_id']).execute();

  // The rule "never more than bought" lives in this CHECK and in the guarded UPDATE that adds to `returned`.
  await db.schema
    .createTable('return_quantities')
    .addColumn('order_line_id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id, (c) => c.notNull())
    .addColumn('bought', t.integer, (c) => c.notNull())
    .addColumn('returned', t.integer, (c) => c.notNull())
    .addCheckConstraint('return_quantities_ck', sql`returned >= 0 and returned <= bought`)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['return_quantities', 'return_lines', 'returns', 'return_policies'])
    await db.schema.dropTable(table).execute();
}
