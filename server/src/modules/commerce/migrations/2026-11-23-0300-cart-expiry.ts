/**
 * @module The cart expiry job's index: anonymous open carts by last activity, so each run reads only the idle ones
 * (a partial index on both dialects; customers' carts, which never expire, are not in it).
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('commerce_carts_anonymous_idle_idx')
    .on('commerce_carts')
    .column('updated_at')
    .where(sql.ref('status'), '=', 'open')
    .where(sql.ref('customer_id'), 'is', null)
    .execute();
}
