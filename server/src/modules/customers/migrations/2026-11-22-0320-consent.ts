/** @module Consent: append-only history, current state per (customer, purpose, channel), double opt-in tokens, preferences. */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('consent_events')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('purpose', t.text, (c) => c.notNull())
    .addColumn('channel', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('source_type', t.text, (c) => c.notNull())
    .addColumn('source_channel_id', t.id)
    .addColumn('legal_basis', t.text, (c) => c.notNull())
    .addColumn('evidence', t.json, (c) => c.notNull())
    .addColumn('actor', t.json, (c) => c.notNull())
    .addColumn('occurred_at', t.time, (c) => c.notNull())
    .addColumn('recorded_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consent_events_customer_idx')
    .on('consent_events')
    .columns(['customer_id', 'id'])
    .execute();

  // `channel` is `*` rather than NULL for purpose-wide records: NULLs never collide in a unique key, and the
  // upsert that keeps the newest record relies on the key colliding.
  await db.schema
    .createTable('consents')
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('purpose', t.text, (c) => c.notNull())
    .addColumn('channel', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('source_type', t.text, (c) => c.notNull())
    .addColumn('source_channel_id', t.id)
    .addColumn('legal_basis', t.text, (c) => c.notNull())
    .addColumn('event_id', t.id, (c) => c.notNull())
    .addColumn('occurred_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('consents_pk', ['customer_id', 'purpose', 'channel'])
    .execute();

  await db.schema
    .createTable('consent_confirmations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('purpose', t.text, (c) => c.notNull())
    .addColumn('channel', t.text, (c) => c.notNull())
    .addColumn('event_id', t.id, (c) => c.notNull())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .addColumn('used_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consent_confirmations_customer_idx')
    .on('consent_confirmations')
    .column('customer_id')
    .execute();

  await db.schema
    .createTable('customer_preferences')
    .addColumn('customer_id', t.id, (c) => c.primaryKey())
    .addColumn('preferred_channel', t.text)
    .addColumn('quiet_hours_start', t.text)
    .addColumn('quiet_hours_end', t.text)
    .addColumn('quiet_hours_timezone', t.text)
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
}
