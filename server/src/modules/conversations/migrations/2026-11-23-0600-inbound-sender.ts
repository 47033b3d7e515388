/**
 * @module Raw inbound deliveries remember who sent them: the sender's address or id (email, E.164 number, PSID,
 * Telegram user id, web chat visitor), taken at the door before processing. A delivery whose processing failed has
 * no customer yet; erasure and export find it by this indexed column instead.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  // Null for rows stored before this column existed and for deliveries whose sender the door could not read.
  await db.schema.alterTable('inbound_messages').addColumn('sender', t.text).execute();
  await db.schema
    .createIndex('inbound_messages_sender_idx')
    .on('inbound_messages')
    .column('sender')
    .execute();
}
