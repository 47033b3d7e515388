/**
 * @module Fulfilment queries, the row mapper and the guarded status move. A fulfilment is the lines of one order
 * leaving one location by one delivery mode; its steps are conditional updates on its status, so two associates
 * pressing the same button end with one winner.
 */
import type { Insertable, Selectable } from 'kysely';
import { toIso, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { FulfilmentRow } from './fulfilment.table';
import type { LineDeliveryMode } from './order.repository';

export const fulfilmentStatuses = [
  'in_transit',
  'pending',
  'picked',
  'packed',
  'shipped',
  'ready_for_pickup',
  'collected',
  'out_for_delivery',
  'delivered',
  'handed_over',
  /** Reserved to try in store: units held at the store until `hold_until`, nothing paid yet. */
  'held',
  'expired',
  'cancelled',
] as const;
export type FulfilmentStatus = (typeof fulfilmentStatuses)[number];

/** The goods reached the customer (or left with the carrier): the order counts them as fulfilled. */
export const doneStatuses: readonly FulfilmentStatus[] = ['shipped', 'collected', 'delivered', 'handed_over'];
/** Nothing more will happen to these. */
export const closedStatuses: readonly FulfilmentStatus[] = [...doneStatuses, 'expired', 'cancelled'];

export interface Fulfilment {
  id: string;
  order_id: string;
  location_id: string;
  mode: LineDeliveryMode;
  status: FulfilmentStatus;
  /** Pickup after transfer: where the units come from, and the transfer bringing them (`in_transit` until received). */
  source_location_id: string | null;
  transfer_id: string | null;
  carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  /** Pickup: wrong codes presented so far. */
  pickup_attempts: number;
  hold_until: string | null;
  picked_at: string | null;
  packed_at: string | null;
  shipped_at: string | null;
  ready_at: string | null;
  collected_at: string | null;
  out_for_delivery_at: string | null;
  delivered_at: string | null;
  expired_at: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
}

const iso = (ms: number | null) => toIso(ms == null ? null : Number(ms));

export function fulfilmentFromRow(row: Selectable<FulfilmentRow>): Fulfilment {
  return {
    id: row.id,
    order_id: row.order_id,
    location_id: row.location_id,
    mode: row.mode as LineDeliveryMode,
    status: row.status as FulfilmentStatus,
    source_location_id: row.source_location_id ?? null,
    transfer_id: row.transfer_id ?? null,
    carrier: row.carrier,
    tracking_number: row.tracking_number,
    tracking_url: row.tracking_url,
    pickup_attempts: Number(row.pickup_attempts),
    hold_until: iso(row.hold_until),
    picked_at: iso(row.picked_at),
    packed_at: iso(row.packed_at),
    shipped_at: iso(row.shipped_at),
    ready_at: iso(row.ready_at),
    collected_at: iso(row.collected_at),
    out_for_delivery_at: iso(row.out_for_delivery_at),
    delivered_at: iso(row.delivered_at),
    expired_at: iso(row.expired_at),
    cancelled_at: iso(row.cancelled_at),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export async function insertFulfilments(db: DbOrTrx, rows: Array<Insertable<FulfilmentRow>>): Promise<void> {
  if (rows.length > 0) await db.insertInto('fulfilments').values(rows).execute();
}

export const findFulfilmentRow = (db: DbOrTrx, id: string) =>
  db.selectFrom('fulfilments').selectAll().where('id', '=', id).executeTakeFirst();

export const findFulfilmentRows = (db: DbOrTrx, orderId: string) =>
  db.selectFrom('fulfilments').selectAll().where('order_id', '=', orderId).orderBy('id').execute();

export type FulfilmentPatch = Partial<
  Omit<FulfilmentRow, 'id' | 'order_id' | 'location_id' | 'mode' | 'status' | 'created_at'>
>;

/** Moves a fulfilment from one of `from` to `to` only if it is still there; the row after, or undefined. */
export async function moveFulfilment(
  db: DbOrTrx,
  id: string,
  from: readonly FulfilmentStatus[],
  to: FulfilmentStatus,
  set: FulfilmentPatch = {},
  options: { holdEndedBy?: number } = {},
): Promise<Selectable<FulfilmentRow> | undefined> {
  let q = db
    .updateTable('fulfilments')
    .set({ ...set, status: to, updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', 'in', from);
  if (options.holdEndedBy !== undefined) q = q.where('hold_until', '<=', options.holdEndedBy);
  return q.returningAll().executeTakeFirst();
}

/**
 * Counts a wrong pickup code, only while the pickup is still waiting and under the limit: the row after, or
 * undefined when it was no longer ready or already locked.
 */
export async function countWrongCode(db: DbOrTrx, id: string, limit: number) {
  return db
    .updateTable('fulfilments')
    .set((eb) => ({ pickup_attempts: eb('pickup_attempts', '+', 1), updated_at: Date.now() }))
    .where('id', '=', id)
    .where('status', '=', 'ready_for_pickup')
    .where('pickup_attempts', '<', limit)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Replaces a waiting pickup's code (a resent notice carries a new one: the old code is stored only hashed) and
 * clears its wrong-code count, only while it is still ready for pickup. False when it was collected or expired.
 */
export async function replacePickupCode(db: DbOrTrx, id: string, codeHash: string): Promise<boolean> {
  const result = await db
    .updateTable('fulfilments')
    .set({ pickup_code_hash: codeHash, pickup_attempts: 0, updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', '=', 'ready_for_pickup')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Pickups (or, with `held`, reservations to try) whose hold has ended, oldest first. */
export async function duePickupIds(
  db: DbOrTrx,
  now: number,
  limit: number,
  status: 'ready_for_pickup' | 'held' = 'ready_for_pickup',
): Promise<string[]> {
  const rows = await db
    .selectFrom('fulfilments')
    .select('id')
    .where('status', '=', status)
    .where('hold_until', '<=', now)
    .orderBy('hold_until')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function listFulfilmentRows(
  db: DbOrTrx,
  filter: PageRequest & {
    location_id?: string | undefined;
    status?: FulfilmentStatus | undefined;
    mode?: LineDeliveryMode | undefined;
    order_id?: string | undefined;
  },
): Promise<Page<Fulfilment>> {
  let q = db.selectFrom('fulfilments').selectAll();
  if (filter.location_id) q = q.where('location_id', '=', filter.location_id);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.mode) q = q.where('mode', '=', filter.mode);
  if (filter.order_id) q = q.where('order_id', '=', filter.order_id);
  return paginate(q, 'id', filter, fulfilmentFromRow);
}
