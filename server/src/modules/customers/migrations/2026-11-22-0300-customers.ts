/** @module Customer profiles, their identifiers, and the append-only identity log. */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('customers')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('merged_into', t.id)
    .addColumn('first_name', t.text)
    .addColumn('last_name', t.text)
    .addColumn('locale', t.text)
    .addColumn('timezone', t.text)
    .addColumn('addresses', t.json, (c) => c.notNull())
    .addColumn('traits', t.json, (c) => c.notNull())
    .addColumn('channels', t.json, (c) => c.notNull())
    .addColumn('restricted', t.bool, (c) => c.notNull())
    .addColumn('first_seen_at', t.time, (c) => c.notNull())
    .addColumn('last_seen_at', t.time, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customers_merged_into_idx').on('customers').column('merged_into').execute();
  await db.schema.createIndex('customers_status_idx').on('customers').columns(['status', 'id']).execute();

  await db.schema
    .createTable('customer_identifiers')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('customer_id', t.id, (c) => c.notNull().references('customers.id'))
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('value', t.text, (c) => c.notNull())
    .addColumn('verified', t.bool, (c) => c.notNull())
    .addColumn('source_channel_id', t.id)
    .addColumn('first_seen_at', t.time, (c) => c.notNull())
    .addColumn('last_seen_at', t.time, (c) => c.notNull())
    // One identifier value belongs to one profile at a time: the database, not a read-then-write, decides races.
    .addUniqueConstraint('customer_identifiers_type_value_uq', ['type', 'value'])
    .execute();
  await db.schema
    .createIndex('customer_identifiers_customer_idx')
    .on('customer_identifiers')
    .column('customer_id')
    .execute();

  await db.schema
    .createTable('identity_log')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('other_customer_id', t.id)
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('actor', t.json, (c) => c.notNull())
    .addColumn('undone_by', t.id)
    .addColumn('occurred_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('identity_log_customer_idx')
    .on('identity_log')
    .columns(['customer_id', 'id'])
    .execute();
  await db.schema
    .createIndex('identity_log_other_idx')
    .on('identity_log')
    .columns(['other_customer_id', 'id'])
    .execute();
}
