/**
 * @module A pickup at a store that lacks the units: its fulfilment names the location the units come from and the
 * inventory transfer bringing them (`in_transit` until the store receives it).
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema.alterTable('fulfilments').addColumn('source_location_id', t.id).execute();
  await db.schema.alterTable('fulfilments').addColumn('transfer_id', t.id).execute();
}
