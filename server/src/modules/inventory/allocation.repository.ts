/** @module Channel allocation queries: which locations a channel sells from, in which priority, holding back how much. */
import { sql, type Selectable } from 'kysely';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { LocationRow } from './location.table';
import type { StockAllocationRow } from './stock.table';

export type AllocatedLocationRow = Omit<Selectable<LocationRow>, 'address' | 'channel_id' | 'created_at'> & {
  priority: number;
  holdback: number;
};

/** The locations a channel may sell from, with their allocation, best priority first. */
export async function allocatedLocationRows(db: DbOrTrx, channelId: string): Promise<AllocatedLocationRow[]> {
  // A plain statement rather than the query builder: every availability answer runs it, and building the join
  // through Kysely cost more than running it.
  const { rows } = await sql<AllocatedLocationRow>`
    select l.id, l.kind, l.name, l.code, l.latitude_e6, l.longitude_e6, l.timezone, l.opening_hours,
      l.capabilities, l.pickup_preparation_minutes, l.same_day_cutoff, l.same_day_radius_m, l.active,
      l.updated_at, a.priority, a.holdback
    from stock_allocations a inner join locations l on l.id = a.location_id
    where a.channel_id = ${channelId}
    order by a.priority, l.id`.execute(db);
  return rows.map((r) => ({ ...r, priority: Number(r.priority), holdback: Number(r.holdback) }));
}

export async function findAllocationRow(
  db: DbOrTrx,
  channelId: string,
  locationId: string,
): Promise<Selectable<StockAllocationRow> | undefined> {
  return db
    .selectFrom('stock_allocations')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
}

/** Replaces a channel's allocation with these rows (the caller runs it in a transaction). */
export async function replaceAllocationRows(
  db: DbOrTrx,
  channelId: string,
  rows: Array<Selectable<StockAllocationRow>>,
): Promise<void> {
  await db.deleteFrom('stock_allocations').where('channel_id', '=', channelId).execute();
  if (rows.length > 0) await db.insertInto('stock_allocations').values(rows).execute();
}
