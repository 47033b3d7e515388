/**
 * @module What a granted reservation writes, shared by the coalesced and the general path: its row, its ledger
 * movement with the running reserved figure, the low-stock check and its `stock.reserved` event — and what a
 * key used before answers.
 */
import type { Insertable, Selectable } from 'kysely';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { newId } from '../../platform/ids';
import { movementRow, noteLowStock, type MovementContext } from './ledger';
import { insertReservations, reservationFromRow, type Reservation } from './reservation.repository';
import { freeUnits, insertMovements } from './stock.repository';
import type { StockLevelRow, StockReservationRow } from './stock.table';

/** One line at a known location: what the coalescer batches. */
export interface Claim {
  channelId: string;
  sku: string;
  locationId: string;
  quantity: number;
  key: string | null;
  reference: { type: string; id: string };
  expiresAt: number;
  actor: Actor;
}

function rowOf(claim: Claim, now: number): Insertable<StockReservationRow> {
  return {
    id: newId('res'),
    key: claim.key,
    channel_id: claim.channelId,
    sku: claim.sku,
    location_id: claim.locationId,
    quantity: claim.quantity,
    status: 'active',
    reference_type: claim.reference.type,
    reference_id: claim.reference.id,
    expires_at: claim.expiresAt,
    actor_type: claim.actor.type,
    actor_id: claim.actor.id,
    confirmed_at: null,
    ended_at: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Writes what granted claims of one level need after their units were reserved: reservation rows, one ledger
 * movement each (with the running reserved figure), the low-stock check and one `stock.reserved` event each.
 */
export async function recordReservations(
  trx: Trx,
  events: EventBus,
  claims: Claim[],
  after: Selectable<StockLevelRow>,
): Promise<Reservation[]> {
  const now = Date.now();
  const units = claims.reduce((n, c) => n + c.quantity, 0);
  let reservedAfter = Number(after.reserved) - units;
  const rows = claims.map((c) => rowOf(c, now));
  const movements = claims.map((c, i) => {
    reservedAfter += c.quantity;
    const ctx: MovementContext = {
      kind: 'reservation',
      actor: c.actor,
      channelId: c.channelId,
      reference: { type: 'reservation', id: rows[i]!.id },
    };
    return movementRow({ ...after, reserved: reservedAfter }, { reserved: c.quantity }, ctx, now);
  });
  await insertReservations(trx, rows);
  await insertMovements(trx, movements);
  await noteLowStock(trx, events, claims[0]!.actor, after, freeUnits(after) + units);
  for (const [i, row] of rows.entries()) {
    await events.append(trx, {
      type: 'stock.reserved',
      aggregate: { type: 'reservation', id: row.id },
      channelId: row.channel_id,
      actor: claims[i]!.actor,
      data: {
        reservation_id: row.id,
        sku: row.sku,
        location_id: row.location_id,
        quantity: row.quantity,
        reference: claims[i]!.reference,
        expires_at: new Date(row.expires_at!).toISOString(),
      },
    });
  }
  return rows.map((r) => reservationFromRow(r as Selectable<StockReservationRow>, now));
}

/** A line whose key was used before: the same reservation(s) if they match, else a conflict. */
export function replayKey(
  line: { sku: string; quantity: number; location_id?: string | null | undefined },
  found: Array<Selectable<StockReservationRow>>,
  field: string,
): Reservation[] {
  const total = found.reduce((n, r) => n + Number(r.quantity), 0);
  const sameLocation = !line.location_id || found.every((r) => r.location_id === line.location_id);
  if (found.some((r) => r.sku !== line.sku) || total !== line.quantity || !sameLocation)
    throw new AppError('conflict', 'This key was used for another reservation.', {
      errors: [
        { field: `${field}.key`, message: 'was already used for a different SKU, quantity or location' },
      ],
    });
  return found.map((r) => reservationFromRow(r));
}
