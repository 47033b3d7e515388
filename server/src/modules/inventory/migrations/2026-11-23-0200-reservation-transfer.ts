/**
 * @module A reservation can travel: units held at a warehouse for a pickup at another store leave with a transfer
 * (`in_transit`, counted at neither location's reserved) and are held again at the store when it receives them.
 * `transfer_id` names the transfer a reservation travels with.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema.alterTable('stock_reservations').addColumn('transfer_id', t.id).execute();
  await db.schema
    .createIndex('stock_reservations_transfer_idx')
    .on('stock_reservations')
    .columns(['transfer_id'])
    .execute();
}
