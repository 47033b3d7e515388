/**
 * @module Customer notifications (order confirmation, receipt, pickup ready, shipped, out for delivery, refund):
 * one row per message with its outcome. The rendered body is kept only while the message waits to leave — a
 * pickup notice carries the plaintext pickup code, which must survive a crash until it is sent and not after.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('notifications')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('customer_id', t.id)
    .addColumn('order_id', t.id, (c) => c.notNull())
    .addColumn('fulfilment_id', t.id)
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('channel_kind', t.text, (c) => c.notNull())
    .addColumn('channel_id', t.id)
    .addColumn('address', t.text)
    .addColumn('locale', t.text)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('error', t.text)
    .addColumn('provider_message_id', t.text)
    .addColumn('subject', t.text)
    .addColumn('body_text', t.text)
    .addColumn('body_html', t.text)
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('attempts', t.integer, (c) => c.notNull())
    .addColumn('claimed_until', t.time)
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notifications_order_idx')
    .on('notifications')
    .columns(['order_id', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_customer_idx')
    .on('notifications')
    .columns(['customer_id', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_status_idx')
    .on('notifications')
    .columns(['status', 'id'])
    .execute();
}
