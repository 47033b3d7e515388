/**
 * @module The order's steps on stock, through the inventory module's reservations service: reserve the lines that
 * came without reservations, confirm them when the order is placed, fulfil them when the goods leave, release them
 * on cancellation or expiry. The reservations service runs its own transactions, so these steps run outside the
 * order's transaction, in an order that lets each be undone or safely repeated: a repeated step skips
 * reservations already where it would move them.
 */
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { ReservationsService } from '../inventory';
import type { PreparedLine } from './order.prepare';

/**
 * Reserves every line that has no reservation yet, all or none, keyed by order and line so a retry finds the same
 * reservations. Returns the lines with their reservation ids and the ids this call created (to undo).
 */
export async function reserveMissing(
  reservations: ReservationsService,
  channelId: string,
  orderId: string,
  lines: PreparedLine[],
  actor: Actor,
  keyPrefix = '',
): Promise<{ lines: PreparedLine[]; created: string[] }> {
  const missing = lines.flatMap((l, i) => (l.reservation_ids.length === 0 ? [i] : []));
  if (missing.length === 0) return { lines, created: [] };
  try {
    const result = await reservations.reserve(
      {
        channel_id: channelId,
        reference: { type: 'order', id: orderId },
        lines: missing.map((i) => ({
          sku: lines[i]!.sku,
          quantity: lines[i]!.quantity,
          location_id: lines[i]!.location_id,
          key: `${orderId}:${keyPrefix}${i}`,
        })),
      },
      actor,
    );
    const byKey = new Map(result.reservations.map((r) => [r.key, r.id] as const));
    const out = lines.map((l, i) =>
      l.reservation_ids.length > 0
        ? l
        : { ...l, reservation_ids: [byKey.get(`${orderId}:${keyPrefix}${i}`)!] },
    );
    return { lines: out, created: result.reservations.map((r) => r.id) };
  } catch (err) {
    throw renameLineFields(err, missing);
  }
}

/** The reservations service names `body.lines.k` of its own request: point at the order's line instead. */
function renameLineFields(err: unknown, indexes: number[]): unknown {
  if (!(err instanceof AppError) || !Array.isArray(err.details.errors)) return err;
  const errors = err.details.errors.map((e) => ({
    ...e,
    field: e.field.replace(/^body\.lines\.(\d+)/, (_, k: string) => `body.lines.${indexes[Number(k)]}`),
  }));
  return new AppError(err.code, err.message, { ...err.details, errors });
}

/** Confirms every still-active reservation (the order was placed: they no longer expire). */
export async function confirmAll(reservations: ReservationsService, ids: string[], actor: Actor) {
  for (const id of ids) {
    const r = await reservations.retrieveReservation(id);
    if (r.status === 'active') await reservations.confirm(id, actor);
    else if (r.status !== 'confirmed')
      throw new AppError('conflict', `Reservation ${id} is ${r.status}: its units are no longer held.`, {
        errors: [{ field: 'body.lines', message: `reservation ${id} is ${r.status}` }],
      });
  }
}

/** The goods left: each reservation becomes a sale in the ledger (confirmed first if it was not yet). */
export async function fulfilAll(reservations: ReservationsService, ids: string[], actor: Actor) {
  for (const id of ids) {
    const r = await reservations.retrieveReservation(id);
    if (r.status === 'fulfilled') continue; // a repeated step: this one already left
    if (r.status === 'active') await reservations.confirm(id, actor);
    await reservations.fulfil(id, actor);
  }
}

/** Frees the units of every reservation still holding them; others (fulfilled, expired, released) are skipped. */
export async function releaseAll(
  reservations: ReservationsService,
  ids: string[],
  actor: Actor,
  reason: string,
): Promise<void> {
  for (const id of ids) {
    const r = await reservations.retrieveReservation(id).catch(() => null);
    // In transit too: released on its way, its units arrive at the store free for sale.
    if (r && (r.status === 'active' || r.status === 'confirmed' || r.status === 'in_transit'))
      await reservations.release(id, actor, reason).catch((err: unknown) => {
        // Lost a race with the expiry job or another release: the units are free either way.
        if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      });
  }
}
