/**
 * @module The receipt link purge's index: links by expiry, so each hourly run reads only the links long expired
 * instead of scanning every SMS receipt ever sent.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('receipt_links_expires_idx').on('receipt_links').column('expires_at').execute();
}
