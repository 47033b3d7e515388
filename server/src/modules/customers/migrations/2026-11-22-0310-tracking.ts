/** @module Raw tracking events received through the Segment-compatible API (identify, track, page, …). */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('tracking_events')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('message_id', t.text, (c) => c.notNull())
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('event', t.text)
    .addColumn('customer_id', t.id)
    .addColumn('anonymous_id', t.text)
    .addColumn('user_id', t.text)
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('properties', t.json, (c) => c.notNull())
    .addColumn('context', t.json, (c) => c.notNull())
    .addColumn('traits', t.json, (c) => c.notNull())
    .addColumn('timestamp', t.time, (c) => c.notNull())
    .addColumn('original_timestamp', t.time)
    .addColumn('sent_at', t.time)
    .addColumn('received_at', t.time, (c) => c.notNull())
    // Dedup is the database's job, so it survives restarts and holds across processes. A messageId is unique
    // within its source (write key → channel), as in Segment.
    .addUniqueConstraint('tracking_events_message_uq', ['channel_id', 'message_id'])
    .execute();
  // The timeline reads one profile family's events newest first.
  await db.schema
    .createIndex('tracking_events_customer_idx')
    .on('tracking_events')
    .columns(['customer_id', 'timestamp', 'id'])
    .execute();
  // Retention purges by age.
  await db.schema
    .createIndex('tracking_events_received_idx')
    .on('tracking_events')
    .column('received_at')
    .execute();
}
