/** @module Transfer lane queries and the mapper. */
import type { Selectable } from 'kysely';
import { decodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { LaneTiming } from './lane';
import type { TransferLaneRow } from './lane.table';
import type { Weekday } from './location.repository';

export interface TransferLane extends LaneTiming {
  id: string;
  from_location_id: string;
  to_location_id: string;
  created_at: string;
  updated_at: string;
}

export const laneFromRow = (r: Selectable<TransferLaneRow>): TransferLane => ({
  id: r.id,
  from_location_id: r.from_location_id,
  to_location_id: r.to_location_id,
  lead_hours: Number(r.lead_hours),
  departure_days: r.departure_days == null ? null : decodeJson<Weekday[] | null>(r.departure_days),
  created_at: toIsoRequired(Number(r.created_at)),
  updated_at: toIsoRequired(Number(r.updated_at)),
});

export async function findLaneRow(db: DbOrTrx, id: string): Promise<Selectable<TransferLaneRow> | undefined> {
  return db.selectFrom('transfer_lanes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listLanes(
  db: DbOrTrx,
  filter: PageRequest & { from_location_id?: string | undefined; to_location_id?: string | undefined },
): Promise<Page<TransferLane>> {
  let q = db.selectFrom('transfer_lanes').selectAll();
  if (filter.from_location_id) q = q.where('from_location_id', '=', filter.from_location_id);
  if (filter.to_location_id) q = q.where('to_location_id', '=', filter.to_location_id);
  return paginate(q, 'id', filter, laneFromRow);
}

/**
 * The lanes into these destinations, keyed `from>to`: availability looks up the pair of each possible transfer.
 * @example (await lanesInto(db, ['loc_mad01'])).get('loc_wh>loc_mad01')?.lead_hours // 24
 */
export async function lanesInto(db: DbOrTrx, toLocationIds: string[]): Promise<Map<string, LaneTiming>> {
  const lanes = new Map<string, LaneTiming>();
  if (toLocationIds.length === 0) return lanes;
  const rows = await db
    .selectFrom('transfer_lanes')
    .selectAll()
    .where('to_location_id', 'in', [...new Set(toLocationIds)])
    .execute();
  for (const row of rows) lanes.set(laneKey(row.from_location_id, row.to_location_id), laneFromRow(row));
  return lanes;
}

export const laneKey = (from: string, to: string): string => `${from}>${to}`;
