/**
 * @module Locations learn what they can do: capabilities (ship, pickup, same-day, returns, ship-from-store), the
 * pickup preparation time, and the same-day cut-off (local time) and radius. Existing rows get the capabilities
 * their kind usually has, so a store registered before this migration still offers pickup.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

/** What each kind of location usually does; the same defaults as a new location without `capabilities`. */
const byKind: Record<string, string[]> = {
  store: ['pickup', 'returns', 'ship_from_store'],
  warehouse: ['ship'],
  dark_store: ['ship', 'same_day'],
  locker: ['pickup'],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  // NOT NULL columns added to a table that may hold rows need a default on SQLite; the service always sets them.
  await db.schema
    .alterTable('locations')
    .addColumn('capabilities', t.json, (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('locations')
    .addColumn('pickup_preparation_minutes', t.integer, (c) => c.notNull().defaultTo(60))
    .execute();
  // 'HH:MM' in the location's time zone; null when the location does not deliver the same day.
  await db.schema.alterTable('locations').addColumn('same_day_cutoff', t.text).execute();
  // Metres, an integer like every other column: the API speaks kilometres.
  await db.schema.alterTable('locations').addColumn('same_day_radius_m', t.integer).execute();
  for (const [kind, capabilities] of Object.entries(byKind)) {
    await db
      .updateTable('locations')
      .set({ capabilities: JSON.stringify(capabilities) })
      .where('kind', '=', kind)
      .execute();
  }
  // A dark store delivers the same day: give existing ones a cut-off and radius they can change later.
  await db
    .updateTable('locations')
    .set({ same_day_cutoff: '14:00', same_day_radius_m: 10_000 })
    .where('kind', '=', 'dark_store')
    .execute();
}
