/**
 * @module Delivery reports and receipt links for customer notifications. A notification's `status` says whether
 * Omnis handed it over; Twilio's status callbacks then say what became of it (`delivery_status`, with the error
 * code), found by (channel, provider message id). `receipt_links` hold the SMS receipt's public page: a random
 * token stored as its SHA-256 only, with the order it shows, the locale it was written in and when it expires.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema.alterTable('notifications').addColumn('delivery_status', t.text).execute();
  await db.schema.alterTable('notifications').addColumn('delivery_error', t.text).execute();
  await db.schema.alterTable('notifications').addColumn('delivery_updated_at', t.time).execute();
  await db.schema
    .createIndex('notifications_provider_idx')
    .on('notifications')
    .columns(['channel_id', 'provider_message_id'])
    .execute();
  await db.schema
    .createTable('receipt_links')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('order_id', t.id, (c) => c.notNull())
    .addColumn('notification_id', t.id, (c) => c.notNull())
    .addColumn('locale', t.text, (c) => c.notNull())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .addColumn('read_count', t.integer, (c) => c.notNull())
    .addColumn('last_read_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('receipt_links_notification_idx')
    .on('receipt_links')
    .column('notification_id')
    .execute();
}
