/**
 * @module What one channel can sell: the locations allocated to it that fit a delivery mode and a search area,
 * and for given SKUs the units each of them can still promise to that channel (on hand − reserved − safety stock
 * − the channel's holdback there) with the transfers on their way. Availability and sourcing both read stock
 * through this, so they always agree.
 */
import { decodeBool, decodeJson, encodeBool } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { allocatedLocationRows, type AllocatedLocationRow } from './allocation.repository';
import { distanceKm, type Point } from './geo';
import {
  fromMicrodegrees,
  type LocationCapability,
  type LocationKind,
  type OpeningHours,
} from './location.repository';
import type { DeliveryMode, Schedule } from './promise';
import { freeUnits, levelRowsFor } from './stock.repository';

export interface ChannelLocation {
  id: string;
  code: string;
  name: string;
  kind: LocationKind;
  /** When the location last changed (epoch ms): promises computed from it may be reused until then. */
  version: number;
  priority: number;
  holdback: number;
  /** From the search point; null without one. */
  distance_km: number | null;
  schedule: Schedule;
}

export type IneligibleReason =
  'not_allocated' | 'inactive' | 'lacks_capability' | 'outside_radius' | 'outside_same_day_radius';

export interface IneligibleLocation {
  location_id: string;
  code: string;
  name: string;
  reason: IneligibleReason;
  distance_km: number | null;
}

export interface ChannelStock {
  /** Locations the channel may sell from for this mode and area: nearest first with a point, else by priority. */
  eligible: ChannelLocation[];
  /** Allocated locations left out, with why (and, when asked, every other active location: not_allocated). */
  ineligible: IneligibleLocation[];
  /** Units the channel can still be promised at a location; negative when reservations exceed stock. */
  free(locationId: string, sku: string): number;
  /** Transfers on their way to a location, earliest ETA first. */
  incoming(locationId: string, sku: string): Array<{ quantity: number; eta: number }>;
}

/** Whether a location's capabilities allow a mode; shipping from a store is its own capability. */
export function supports(capabilities: LocationCapability[], mode: DeliveryMode): boolean {
  if (mode === 'ship') return capabilities.includes('ship') || capabilities.includes('ship_from_store');
  return capabilities.includes(mode);
}

export interface ChannelStockQuery {
  channelId: string;
  skus: string[];
  mode?: DeliveryMode | undefined;
  near?: Point | undefined;
  /** Only locations within this many km of `near`. */
  radiusKm?: number | undefined;
  /** Also list active locations the channel is not allocated (sourcing explains every location). */
  includeUnallocated?: boolean;
}

const key = (locationId: string, sku: string) => `${locationId}\u0000${sku}`;

export async function loadChannelStock(db: DbOrTrx, query: ChannelStockQuery): Promise<ChannelStock> {
  const rows = await allocatedLocationRows(db, query.channelId);
  const eligible: ChannelLocation[] = [];
  const ineligible: IneligibleLocation[] = [];
  for (const row of rows) {
    const verdict = judge(row, query);
    const base = { location_id: row.id, code: row.code, name: row.name, distance_km: verdict.distance };
    if (verdict.reason) ineligible.push({ ...base, reason: verdict.reason });
    else
      eligible.push({
        id: row.id,
        code: row.code,
        name: row.name,
        kind: row.kind as LocationKind,
        version: Number(row.updated_at),
        priority: row.priority,
        holdback: row.holdback,
        distance_km: verdict.distance,
        schedule: {
          timezone: row.timezone,
          opening_hours: decodeJson<OpeningHours>(row.opening_hours),
          pickup_preparation_minutes: Number(row.pickup_preparation_minutes),
          same_day_cutoff: row.same_day_cutoff,
        },
      });
  }
  if (query.includeUnallocated) {
    const allocated = new Set(rows.map((r) => r.id));
    const others = await db
      .selectFrom('locations')
      .selectAll()
      .where('active', '=', encodeBool(true))
      .execute();
    for (const row of others)
      if (!allocated.has(row.id))
        ineligible.push({
          location_id: row.id,
          code: row.code,
          name: row.name,
          reason: 'not_allocated',
          distance_km: query.near ? distanceKm(query.near, pointOf(row)) : null,
        });
  }
  eligible.sort(
    (a, b) =>
      (a.distance_km ?? 0) - (b.distance_km ?? 0) || a.priority - b.priority || (a.id < b.id ? -1 : 1),
  );

  const holdback = new Map(eligible.map((l) => [l.id, l.holdback]));
  const levels = await levelRowsFor(
    db,
    query.skus,
    eligible.map((l) => l.id),
  );
  // Per location, per SKU: two lookups and no string building, for the thousands of questions an answer asks.
  const free = new Map<string, Map<string, number>>(eligible.map((l) => [l.id, new Map()]));
  let anyIncoming = false;
  for (const level of levels) {
    free.get(level.location_id)!.set(level.sku, freeUnits(level) - (holdback.get(level.location_id) ?? 0));
    if (Number(level.incoming) > 0) anyIncoming = true;
  }
  const incoming = new Map<string, Array<{ quantity: number; eta: number }>>();
  if (anyIncoming) {
    const lots = await db
      .selectFrom('stock_transfer_lines as tl')
      .innerJoin('stock_transfers as t', 't.id', 'tl.transfer_id')
      .select(['tl.sku', 't.to_location_id', 'tl.quantity', 't.eta'])
      .where('t.status', '=', 'in_transit')
      .where('tl.sku', 'in', query.skus)
      .where(
        't.to_location_id',
        'in',
        eligible.map((l) => l.id),
      )
      .orderBy('t.eta')
      .execute();
    for (const lot of lots) {
      const k = key(lot.to_location_id, lot.sku);
      const list = incoming.get(k) ?? [];
      list.push({ quantity: Number(lot.quantity), eta: Number(lot.eta) });
      incoming.set(k, list);
    }
  }
  return {
    eligible,
    ineligible,
    // A level that does not exist has nothing, and the holdback still applies to it.
    free: (locationId, sku) => free.get(locationId)?.get(sku) ?? -(holdback.get(locationId) ?? 0),
    incoming: (locationId, sku) => incoming.get(key(locationId, sku)) ?? [],
  };
}

const pointOf = (row: { latitude_e6: number; longitude_e6: number }): Point => ({
  latitude: fromMicrodegrees(Number(row.latitude_e6)),
  longitude: fromMicrodegrees(Number(row.longitude_e6)),
});

function judge(
  row: AllocatedLocationRow,
  query: ChannelStockQuery,
): { reason: IneligibleReason | null; distance: number | null } {
  const distance = query.near ? distanceKm(query.near, pointOf(row)) : null;
  if (!decodeBool(row.active)) return { reason: 'inactive', distance };
  // Distance before capabilities: most of a large network is out of range, and that costs no JSON decoding.
  if (distance !== null && query.radiusKm !== undefined && distance > query.radiusKm)
    return { reason: 'outside_radius', distance };
  const capabilities = decodeJson<LocationCapability[]>(row.capabilities);
  if (query.mode && !supports(capabilities, query.mode)) return { reason: 'lacks_capability', distance };
  if (query.mode === 'same_day') {
    const radiusKm = row.same_day_radius_m == null ? 0 : Number(row.same_day_radius_m) / 1000;
    if (distance === null || distance > radiusKm) return { reason: 'outside_same_day_radius', distance };
  }
  return { reason: null, distance };
}
