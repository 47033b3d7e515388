/** @module The locations registry table: where stock lives (stores, warehouses, dark stores, lockers). */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('locations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('address', t.json, (c) => c.notNull())
    // Microdegrees in integer columns: no floats in our tables, so both dialects store the same exact value.
    .addColumn('latitude_e6', t.integer, (c) => c.notNull())
    .addColumn('longitude_e6', t.integer, (c) => c.notNull())
    .addColumn('timezone', t.text, (c) => c.notNull())
    .addColumn('opening_hours', t.json, (c) => c.notNull())
    .addColumn('channel_id', t.id)
    .addColumn('active', t.bool, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  // Named so the repository can tell a duplicate code from any other constraint failure.
  await db.schema.createIndex('locations_code_uq').on('locations').column('code').unique().execute();
  await db.schema.createIndex('locations_kind_idx').on('locations').columns(['kind', 'id']).execute();
  await db.schema
    .createIndex('locations_channel_idx')
    .on('locations')
    .columns(['channel_id', 'id'])
    .execute();
}
