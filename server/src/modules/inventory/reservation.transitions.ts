/**
 * @module What happens to a reservation after it is made: confirm (no longer expires), release and expiry (units
 * free again: a `release` movement), fulfil (the goods leave: a `sale` movement, on hand and reserved both fall).
 * Each moves the reservation by a conditional update on its status — one winner when a confirm races the expiry
 * job — and changes the level in the same transaction.
 */
import type { Selectable } from 'kysely';
import { AppError, notFound } from '../../platform/errors';
import { systemActor, type Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction, inTransactionWithRetry, type Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { applyMovement } from './ledger';
import {
  dueReservationIds,
  findReservationRow,
  moveReservation,
  reservationFromRow,
  type Reservation,
} from './reservation.repository';
import type { StockReservationRow } from './stock.table';

export type Transition = 'confirm' | 'release' | 'fulfil';

/** Release has its event written with the units it frees (shared with expiry). */
const eventOf: Record<Exclude<Transition, 'release'>, string> = {
  confirm: 'stock.reservation_confirmed',
  fulfil: 'stock.fulfilled',
};

/** Why a transition found the reservation in the wrong state: a 409 naming the reservation. */
function wrongState(row: Selectable<StockReservationRow>, action: Transition, now: number): AppError {
  const shown = reservationFromRow(row, now).status;
  const message =
    shown === 'expired'
      ? `expired at ${new Date(Number(row.expires_at)).toISOString()}`
      : shown === 'active'
        ? 'is not confirmed yet'
        : `is already ${shown}`;
  return new AppError('conflict', `Cannot ${action} reservation ${row.id}: it ${message}.`, {
    status: shown,
    errors: [{ field: 'params.id', message: `is ${shown === 'active' ? 'not confirmed' : shown}` }],
  });
}

async function releaseUnits(
  trx: Trx,
  events: EventBus,
  row: Selectable<StockReservationRow>,
  actor: Actor,
  reason: string,
): Promise<void> {
  const key = { sku: row.sku, location_id: row.location_id };
  const q = Number(row.quantity);
  const after = await applyMovement(
    trx,
    events,
    key,
    { reserved: -q },
    {
      kind: 'release',
      actor,
      reason,
      channelId: row.channel_id,
      reference: { type: 'reservation', id: row.id },
    },
    { keepReserved: false },
  );
  // The reserved counter holds at least every active reservation: only a bypassed ledger could break this.
  if (!after)
    throw new Error(`Level ${row.location_id}/${row.sku} holds fewer reserved units than ${row.id}.`);
  await events.append(trx, {
    type: 'stock.released',
    aggregate: { type: 'reservation', id: row.id },
    channelId: row.channel_id,
    actor,
    data: { reservation_id: row.id, sku: row.sku, location_id: row.location_id, quantity: q, reason },
  });
}

/**
 * Confirms, releases or fulfils a reservation.
 * @example await endReservation(db, events, 'res_…', 'fulfil', actor)
 */
export async function endReservation(
  db: Db | Trx,
  events: EventBus,
  id: string,
  action: Transition,
  actor: Actor,
  reason?: string,
): Promise<Reservation> {
  // Inside a caller's transaction (checkout confirms while writing its order) the step joins it, and the caller
  // owns any retry; on its own it retries a lost race.
  const run = <T>(fn: (trx: Trx) => Promise<T>) =>
    db.isTransaction ? inTransaction(db, fn) : inTransactionWithRetry(db as Db, fn);
  return run(async (trx) => {
    const now = Date.now();
    // Released on its way to another store: no level holds its units as reserved now (they left the source and
    // are incoming at the destination), so nothing is given back here; they arrive there free for sale.
    const travelling =
      action === 'release'
        ? await moveReservation(trx, id, ['in_transit'], 'released', { ended_at: now })
        : undefined;
    if (travelling) {
      await events.append(trx, {
        type: 'stock.released',
        aggregate: { type: 'reservation', id },
        channelId: travelling.channel_id,
        actor,
        data: {
          reservation_id: id,
          sku: travelling.sku,
          location_id: travelling.location_id,
          quantity: Number(travelling.quantity),
          reason: reason ?? 'released',
          transfer_id: travelling.transfer_id ?? null,
        },
      });
      return reservationFromRow(travelling, now);
    }
    const moved =
      action === 'confirm'
        ? await moveReservation(
            trx,
            id,
            ['active'],
            'confirmed',
            { confirmed_at: now, expires_at: null },
            { unexpiredAt: now },
          )
        : action === 'release'
          ? await moveReservation(trx, id, ['active', 'confirmed'], 'released', { ended_at: now })
          : await moveReservation(trx, id, ['confirmed'], 'fulfilled', { ended_at: now });
    if (!moved) {
      const row = await findReservationRow(trx, id);
      if (!row) throw notFound('reservation', id);
      throw wrongState(row, action, now);
    }
    if (action === 'release') {
      await releaseUnits(trx, events, moved, actor, reason ?? 'released');
      return reservationFromRow(moved, now);
    }
    if (action === 'fulfil') {
      const q = Number(moved.quantity);
      const key = { sku: moved.sku, location_id: moved.location_id };
      const after = await applyMovement(
        trx,
        events,
        key,
        { on_hand: -q, reserved: -q },
        {
          kind: 'sale',
          actor,
          channelId: moved.channel_id,
          reference: { type: 'reservation', id: moved.id },
        },
        { keepReserved: false },
      );
      // A count found fewer units on the shelf than were promised: the sale cannot leave from here.
      if (!after)
        throw new AppError(
          'insufficient_stock',
          `Fewer than ${q} units of ${moved.sku} are on hand to fulfil ${moved.id}.`,
          {
            sku: moved.sku,
            location_id: moved.location_id,
            requested: q,
            errors: [{ field: 'params.id', message: 'has fewer units on hand than it reserved' }],
          },
        );
    }
    await events.append(trx, {
      type: eventOf[action],
      aggregate: { type: 'reservation', id },
      channelId: moved.channel_id,
      actor,
      data: {
        reservation_id: id,
        sku: moved.sku,
        location_id: moved.location_id,
        quantity: Number(moved.quantity),
      },
    });
    return reservationFromRow(moved, now);
  });
}

/**
 * Expires active reservations past their TTL, a page at a time, each in its own short transaction. Each one is
 * claimed by a conditional update (still active, still due), so two processes running the job never release the
 * same units twice. Returns how many expired.
 */
export async function expireDue(db: Db, events: EventBus, now: number): Promise<number> {
  let expired = 0;
  for (;;) {
    const ids = await dueReservationIds(db, now, 200);
    for (const id of ids) {
      const done = await inTransactionWithRetry(db, async (trx) => {
        const row = await moveReservation(
          trx,
          id,
          ['active'],
          'expired',
          { ended_at: now },
          { expiredAt: now },
        );
        if (!row) return false; // confirmed, released or expired by someone else meanwhile
        await releaseUnits(trx, events, row, systemActor, 'expired');
        return true;
      });
      if (done) expired += 1;
    }
    if (ids.length < 200) return expired;
  }
}
