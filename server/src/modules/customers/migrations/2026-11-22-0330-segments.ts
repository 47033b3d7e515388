/** @module Segments: rule-based audiences, their members, and the progress of the jobs that keep them current. */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('segments')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('description', t.text)
    .addColumn('rule', t.json, (c) => c.notNull())
    .addColumn('member_count', t.integer, (c) => c.notNull())
    .addColumn('evaluated_at', t.time, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  // The key makes entering idempotent: two evaluations of one customer racing insert one row, and only the
  // one that inserted it announces segment.entered.
  await db.schema
    .createTable('segment_members')
    .addColumn('segment_id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('since', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('segment_members_pk', ['segment_id', 'customer_id'])
    .execute();
  // "Which segments is this customer in" (incremental evaluation, Customer 360, erasure).
  await db.schema
    .createIndex('segment_members_customer_idx')
    .on('segment_members')
    .columns(['customer_id', 'segment_id'])
    .execute();

  await db.schema
    .createTable('segment_jobs')
    .addColumn('name', t.text, (c) => c.primaryKey())
    .addColumn('position', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
}
