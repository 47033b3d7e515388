/** @module Self-service: customer access tokens (preference links and requested links) and erasure requests. */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  // A requested link has no token yet (token_hash NULL) until the sender issues it; NULLs never collide in the
  // unique index on either dialect, so many requests can wait at once.
  await db.schema
    .createTable('customer_access_tokens')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('token_hash', t.text, (c) => c.unique())
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('channel_id', t.id)
    .addColumn('sent_to_identifier_id', t.id)
    .addColumn('sent_via', t.text)
    .addColumn('actor', t.json, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('issued_at', t.time)
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .addColumn('revoked_at', t.time)
    .addColumn('last_used_at', t.time)
    .execute();
  await db.schema
    .createIndex('customer_access_tokens_customer_idx')
    .on('customer_access_tokens')
    .columns(['customer_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('customer_erasure_requests')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('channel_id', t.id)
    .addColumn('token_id', t.id)
    .addColumn('requested_at', t.time, (c) => c.notNull())
    .addColumn('due_at', t.time, (c) => c.notNull())
    .addColumn('decided_at', t.time)
    .addColumn('decided_by', t.json)
    .addColumn('reason', t.text)
    .execute();
  // At most one open request per customer, decided by the index rather than a read before the insert: two
  // clicks at once make one request.
  await db.schema
    .createIndex('customer_erasure_requests_pending_idx')
    .on('customer_erasure_requests')
    .column('customer_id')
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema
    .createIndex('customer_erasure_requests_status_idx')
    .on('customer_erasure_requests')
    .columns(['status', 'id'])
    .execute();
}
