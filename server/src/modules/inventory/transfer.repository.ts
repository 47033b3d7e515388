/** @module Transfer queries and the mapper: stock on its way from one location to another. */
import type { Insertable, Selectable } from 'kysely';
import { toIso, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { StockReservationRow, StockTransferLineRow, StockTransferRow } from './stock.table';

export const transferStatuses = ['in_transit', 'received'] as const;
export type TransferStatus = (typeof transferStatuses)[number];

export interface Transfer {
  id: string;
  from_location_id: string;
  to_location_id: string;
  status: TransferStatus;
  eta: string;
  reason: string | null;
  lines: Array<{ sku: string; quantity: number; received_quantity: number | null }>;
  shipped_at: string;
  received_at: string | null;
  created_at: string;
  updated_at: string;
}

export function transferFromRows(
  row: Selectable<StockTransferRow>,
  lines: Array<Selectable<StockTransferLineRow>>,
): Transfer {
  return {
    id: row.id,
    from_location_id: row.from_location_id,
    to_location_id: row.to_location_id,
    status: row.status as TransferStatus,
    eta: toIsoRequired(Number(row.eta)),
    reason: row.reason,
    lines: lines
      .filter((l) => l.transfer_id === row.id)
      .map((l) => ({
        sku: l.sku,
        quantity: Number(l.quantity),
        received_quantity: l.received_quantity == null ? null : Number(l.received_quantity),
      })),
    shipped_at: toIsoRequired(Number(row.shipped_at)),
    received_at: toIso(row.received_at == null ? null : Number(row.received_at)),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export async function insertTransfer(
  db: DbOrTrx,
  row: Insertable<StockTransferRow>,
  lines: Array<Insertable<StockTransferLineRow>>,
): Promise<void> {
  await db.insertInto('stock_transfers').values(row).execute();
  await db.insertInto('stock_transfer_lines').values(lines).execute();
}

export async function findTransfer(db: DbOrTrx, id: string): Promise<Transfer | undefined> {
  const row = await db.selectFrom('stock_transfers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const lines = await db
    .selectFrom('stock_transfer_lines')
    .selectAll()
    .where('transfer_id', '=', id)
    .orderBy('sku')
    .execute();
  return transferFromRows(row, lines);
}

/** Marks an in-transit transfer received; undefined when it was not in transit (received already). */
export async function markReceived(
  db: DbOrTrx,
  id: string,
  now: number,
): Promise<Selectable<StockTransferRow> | undefined> {
  return db
    .updateTable('stock_transfers')
    .set({ status: 'received', received_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'in_transit')
    .returningAll()
    .executeTakeFirst();
}

export async function setReceivedQuantity(
  db: DbOrTrx,
  id: string,
  sku: string,
  quantity: number,
): Promise<void> {
  await db
    .updateTable('stock_transfer_lines')
    .set({ received_quantity: quantity })
    .where('transfer_id', '=', id)
    .where('sku', '=', sku)
    .execute();
}

export async function listTransfers(
  db: DbOrTrx,
  filter: PageRequest & {
    location_id?: string | undefined;
    status?: TransferStatus | undefined;
  },
): Promise<Page<Transfer>> {
  let q = db.selectFrom('stock_transfers').selectAll();
  const location = filter.location_id;
  if (location)
    q = q.where((eb) => eb.or([eb('from_location_id', '=', location), eb('to_location_id', '=', location)]));
  if (filter.status) q = q.where('status', '=', filter.status);
  const page = await paginate(q, 'id', filter, (row) => row);
  const lines =
    page.data.length === 0
      ? []
      : await db
          .selectFrom('stock_transfer_lines')
          .selectAll()
          .where(
            'transfer_id',
            'in',
            page.data.map((t) => t.id),
          )
          .orderBy('sku')
          .execute();
  return { data: page.data.map((row) => transferFromRows(row, lines)), next_cursor: page.next_cursor };
}

/**
 * Sends confirmed reservations on their way with a transfer: each moves confirmed → in_transit only if it still
 * is confirmed (a conditional update). Returns the rows moved; fewer than asked means one was not confirmed.
 */
export async function sendReservations(
  db: DbOrTrx,
  ids: string[],
  transferId: string,
  now: number,
): Promise<Array<Selectable<StockReservationRow>>> {
  if (ids.length === 0) return [];
  return db
    .updateTable('stock_reservations')
    .set({ status: 'in_transit', transfer_id: transferId, updated_at: now })
    .where('id', 'in', ids)
    .where('status', '=', 'confirmed')
    .returningAll()
    .execute();
}

/**
 * Lands the reservations still travelling with a transfer at its destination: in_transit → confirmed, held at
 * `locationId` now. Reservations released on the way stay released. Returns the rows landed.
 */
export async function landReservations(
  db: DbOrTrx,
  transferId: string,
  locationId: string,
  now: number,
): Promise<Array<Selectable<StockReservationRow>>> {
  return db
    .updateTable('stock_reservations')
    .set({ status: 'confirmed', location_id: locationId, updated_at: now })
    .where('transfer_id', '=', transferId)
    .where('status', '=', 'in_transit')
    .returningAll()
    .execute();
}
