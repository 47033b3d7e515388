/** @module Web chat visitors (one per browser, found by the hash of its token) and the files they upload. */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const t = columnTypes(dialect);
  // Upload bytes: bytea on PostgreSQL, blob on SQLite; both hand back a Buffer.
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('webchat_visitors')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('anonymous_id', t.text)
    .addColumn('customer_id', t.id)
    .addColumn('conversation_id', t.id)
    .addColumn('name', t.text)
    .addColumn('email', t.text)
    .addColumn('locale', t.text)
    .addColumn('email_fallback', t.bool, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('last_seen_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webchat_visitors_customer_idx')
    .on('webchat_visitors')
    .column('customer_id')
    .execute();
  await db.schema
    .createIndex('webchat_visitors_conversation_idx')
    .on('webchat_visitors')
    .column('conversation_id')
    .execute();
  await db.schema
    .createTable('webchat_uploads')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('visitor_id', t.id, (c) => c.notNull())
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('filename', t.text, (c) => c.notNull())
    .addColumn('content_type', t.text, (c) => c.notNull())
    .addColumn('size', t.integer, (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webchat_uploads_visitor_idx')
    .on('webchat_uploads')
    .column('visitor_id')
    .execute();
}
