/**
 * @module A refund's idempotency key: a caller that refunds on behalf of something (a return) names it, and the
 * unique index per payment makes a retry after a crash find the first refund instead of giving the money twice.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema.alterTable('payment_refunds').addColumn('idempotency_key', t.text).execute();
  // NULL keys are distinct on both dialects: refunds without a key are never refused by this index.
  await db.schema
    .createIndex('payment_refunds_key_uq')
    .on('payment_refunds')
    .columns(['payment_id', 'idempotency_key'])
    .unique()
    .execute();
}
