/**
 * @module Reservation queries and the reservation's guarded update. Reserving is one UPDATE whose WHERE clause is
 * the whole rule — enough units beyond reserved, safety stock and the channel's holdback at that location, and the
 * channel allowed to sell there at all — checked by the row it returns: never read-then-write.
 */
import { sql, type Insertable, type Selectable } from 'kysely';
import { encodeBool, toIso, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { StockLevelRow, StockReservationRow } from './stock.table';

/** `in_transit`: a confirmed reservation travelling with a transfer to the store that will hold it (see transfer.service). */
export const reservationStatuses = [
  'active',
  'confirmed',
  'in_transit',
  'released',
  'expired',
  'fulfilled',
] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

export interface Reservation {
  id: string;
  key: string | null;
  /** `expired` as soon as the TTL has passed, even before the expiry job returns the units. */
  status: ReservationStatus;
  channel_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  reference: { type: string; id: string };
  /** The transfer bringing these units to `location_id`'s successor (pickup at another store); null otherwise. */
  transfer_id: string | null;
  expires_at: string | null;
  confirmed_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

export function reservationFromRow(row: Selectable<StockReservationRow>, now = Date.now()): Reservation {
  const expiresAt = row.expires_at == null ? null : Number(row.expires_at);
  const lapsed = row.status === 'active' && expiresAt !== null && expiresAt <= now;
  return {
    id: row.id,
    key: row.key,
    status: lapsed ? 'expired' : (row.status as ReservationStatus),
    channel_id: row.channel_id,
    sku: row.sku,
    location_id: row.location_id,
    quantity: Number(row.quantity),
    reference: { type: row.reference_type, id: row.reference_id },
    transfer_id: row.transfer_id ?? null,
    expires_at: toIso(expiresAt),
    confirmed_at: toIso(row.confirmed_at == null ? null : Number(row.confirmed_at)),
    ended_at: toIso(row.ended_at == null ? null : Number(row.ended_at)),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

/**
 * Reserves `quantity` units of a level for a channel. The holdback subquery yields NULL when the channel has no
 * allocation at that location (or the location is inactive), which makes the comparison false: not allowed is
 * refused by the same statement as not enough. On PostgreSQL a concurrent reserver waits on the row lock and then
 * re-evaluates the WHERE clause against the row as committed, so two can never both take the last unit.
 */
export async function reserveUnits(
  db: DbOrTrx,
  claim: { sku: string; location_id: string; channel_id: string; quantity: number },
): Promise<Selectable<StockLevelRow> | undefined> {
  const q = claim.quantity;
  return db
    .updateTable('stock_levels')
    .set({ reserved: sql`reserved + ${q}`, updated_at: Date.now() })
    .where('sku', '=', claim.sku)
    .where('location_id', '=', claim.location_id)
    .where(
      sql<boolean>`on_hand - reserved - safety_stock - (
        select a.holdback from stock_allocations a inner join locations l on l.id = a.location_id
        where a.channel_id = ${claim.channel_id} and a.location_id = ${claim.location_id}
          and l.active = ${encodeBool(true)}) >= ${q}`,
    )
    .returningAll()
    .executeTakeFirst();
}

export async function insertReservations(
  db: DbOrTrx,
  rows: Array<Insertable<StockReservationRow>>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('stock_reservations')
      .values(rows.slice(i, i + 500))
      .execute();
}

export async function findReservationRow(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<StockReservationRow> | undefined> {
  return db.selectFrom('stock_reservations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findReservationRowsByKeys(
  db: DbOrTrx,
  channelId: string,
  keys: string[],
): Promise<Array<Selectable<StockReservationRow>>> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('stock_reservations')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('key', 'in', keys)
    .execute();
}

/**
 * Moves a reservation from one of `from` to `to`, only if it is still in one of them (and, for `unexpired`, its
 * TTL has not passed): a conditional update, so two concurrent confirms or a confirm racing the expiry job end
 * with exactly one winner. Returns the row after, or undefined when the reservation was not in such a state.
 */
export async function moveReservation(
  db: DbOrTrx,
  id: string,
  from: ReservationStatus[],
  to: ReservationStatus,
  set: Partial<Pick<StockReservationRow, 'confirmed_at' | 'ended_at' | 'expires_at'>>,
  options: { unexpiredAt?: number; expiredAt?: number } = {},
): Promise<Selectable<StockReservationRow> | undefined> {
  let q = db
    .updateTable('stock_reservations')
    .set({ ...set, status: to, updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', 'in', from);
  const unexpired = options.unexpiredAt;
  if (unexpired !== undefined)
    q = q.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', unexpired)]));
  if (options.expiredAt !== undefined) q = q.where('expires_at', '<=', options.expiredAt);
  return q.returningAll().executeTakeFirst();
}

/** Active reservations whose TTL has passed, oldest due first. */
export async function dueReservationIds(db: DbOrTrx, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('stock_reservations')
    .select('id')
    .where('status', '=', 'active')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function listReservationRows(
  db: DbOrTrx,
  filter: PageRequest & {
    reference_id?: string | undefined;
    sku?: string | undefined;
    location_id?: string | undefined;
    channel_id?: string | undefined;
    status?: ReservationStatus | undefined;
  },
): Promise<Page<Reservation>> {
  const now = Date.now();
  let q = db.selectFrom('stock_reservations').selectAll();
  if (filter.reference_id) q = q.where('reference_id', '=', filter.reference_id);
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  if (filter.location_id) q = q.where('location_id', '=', filter.location_id);
  if (filter.channel_id) q = q.where('channel_id', '=', filter.channel_id);
  // Status as shown: an active reservation past its TTL is listed as expired, not active.
  if (filter.status === 'active')
    q = q
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
  else if (filter.status === 'expired')
    q = q.where((eb) =>
      eb.or([
        eb('status', '=', 'expired'),
        eb.and([eb('status', '=', 'active'), eb('expires_at', '<=', now)]),
      ]),
    );
  else if (filter.status) q = q.where('status', '=', filter.status);
  return paginate(q, 'id', filter, (row) => reservationFromRow(row, now));
}
