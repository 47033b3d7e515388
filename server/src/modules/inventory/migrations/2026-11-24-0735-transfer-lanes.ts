/**
 * @module Transfer lanes: how long stock takes to travel from one location to another (warehouse → Madrid store
 * next day, warehouse → Canarias four days), optionally only leaving on some weekdays. One lane per ordered pair;
 * a pair without one uses the global `transferLeadHours`.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('transfer_lanes')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('from_location_id', t.id, (c) => c.notNull().references('locations.id'))
    .addColumn('to_location_id', t.id, (c) => c.notNull().references('locations.id'))
    .addColumn('lead_hours', t.integer, (c) => c.notNull())
    // JSON array of weekdays (`["mon","thu"]`) transfers leave on; null: any day.
    .addColumn('departure_days', t.json)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addUniqueConstraint('transfer_lanes_pair_uq', ['from_location_id', 'to_location_id'])
    .addCheckConstraint('transfer_lanes_lead_ck', sql`lead_hours >= 0`)
    .addCheckConstraint('transfer_lanes_pair_ck', sql`from_location_id <> to_location_id`)
    .execute();
  // Availability reads the lanes into the stores it considers for pickup.
  await db.schema
    .createIndex('transfer_lanes_to_idx')
    .on('transfer_lanes')
    .columns(['to_location_id'])
    .execute();
}
