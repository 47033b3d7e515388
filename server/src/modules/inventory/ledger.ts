/**
 * @module The ledger's one write path: a guarded level change, its movement and — when available falls below the
 * level's threshold — a `stock.low` event, all in the caller's transaction. Every service that moves stock goes
 * through here (or, for batched reservations, through the same row builders), so on hand, reserved and incoming
 * are always the sums of their movements.
 */
import type { Insertable, Selectable } from 'kysely';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { newId } from '../../platform/ids';
import { findLocationRow } from './location.repository';
import {
  changeLevel,
  findLevelRow,
  freeUnits,
  insertMovements,
  stockedSkus,
  type Deltas,
  type LevelKey,
  type MovementKind,
} from './stock.repository';
import type { StockLevelRow, StockMovementRow } from './stock.table';

export interface MovementContext {
  kind: MovementKind;
  actor: Actor;
  reason?: string | null | undefined;
  channelId?: string | null | undefined;
  reference?: { type: string; id: string } | null | undefined;
}

/** The ledger row for a change whose resulting level is `after`. */
export function movementRow(
  after: Pick<StockLevelRow, 'sku' | 'location_id' | 'on_hand' | 'reserved'>,
  deltas: Deltas,
  ctx: MovementContext,
  now: number,
): Insertable<StockMovementRow> {
  return {
    id: newId('mov'),
    sku: after.sku,
    location_id: after.location_id,
    kind: ctx.kind,
    on_hand_delta: deltas.on_hand ?? 0,
    reserved_delta: deltas.reserved ?? 0,
    incoming_delta: deltas.incoming ?? 0,
    on_hand_after: Number(after.on_hand),
    reserved_after: Number(after.reserved),
    reason: ctx.reason ?? null,
    actor_type: ctx.actor.type,
    actor_id: ctx.actor.id,
    channel_id: ctx.channelId ?? null,
    reference_type: ctx.reference?.type ?? null,
    reference_id: ctx.reference?.id ?? null,
    occurred_at: now,
  };
}

/**
 * Appends `stock.low` when this change took available from at or above the level's threshold to below it. Edge
 * triggered: a SKU that stays low does not repeat the alert with every sale.
 */
export async function noteLowStock(
  trx: Trx,
  events: EventBus,
  actor: Actor,
  after: Selectable<StockLevelRow>,
  freeBefore: number,
): Promise<void> {
  const threshold = after.low_stock_threshold == null ? null : Number(after.low_stock_threshold);
  const freeAfter = freeUnits(after);
  if (threshold === null || !(freeBefore >= threshold && freeAfter < threshold)) return;
  await events.append(trx, {
    type: 'stock.low',
    aggregate: { type: 'stock_level', id: `${after.location_id}:${after.sku}` },
    actor,
    data: {
      sku: after.sku,
      location_id: after.location_id,
      available: Math.max(0, freeAfter),
      threshold,
    },
  });
}

/** What `deltas` did to free units (on hand − reserved − safety), to recover the level before from the after. */
const freeDelta = (d: Deltas) => (d.on_hand ?? 0) - (d.reserved ?? 0);

/**
 * Applies one movement: guarded change, ledger row, low-stock check. Returns the level after it, or undefined
 * when the guard refused (see explainRefusal).
 * @example await applyMovement(trx, events, { sku, location_id }, { on_hand: -2 }, { kind: 'damage', actor }, { keepReserved: true })
 */
export async function applyMovement(
  trx: Trx,
  events: EventBus,
  key: LevelKey,
  deltas: Deltas,
  ctx: MovementContext,
  options: { keepReserved: boolean },
): Promise<Selectable<StockLevelRow> | undefined> {
  const after = await changeLevel(trx, key, deltas, options);
  if (!after) return undefined;
  await insertMovements(trx, [movementRow(after, deltas, ctx, Date.now())]);
  await noteLowStock(trx, events, ctx.actor, after, freeUnits(after) - freeDelta(deltas));
  return after;
}

/**
 * Why a guarded change of `key` was refused, as the error the caller should throw: an unknown location or a
 * SKU never stocked anywhere is bad input naming `field` (400); a known level without enough units is a 409
 * `insufficient_stock` carrying what there is.
 */
export async function explainRefusal(
  db: Trx,
  key: LevelKey,
  field: string,
  wanted: number,
  what: { units: 'unreserved' | 'reserved' | 'incoming' | 'available'; holdback?: number },
): Promise<AppError> {
  const [level, location] = await Promise.all([findLevelRow(db, key), findLocationRow(db, key.location_id)]);
  if (!location) {
    return new AppError('validation_failed', `${field}.location_id is not a known location`, {
      errors: [{ field: `${field}.location_id`, message: 'is not a known location' }],
    });
  }
  if (!level && !(await stockedSkus(db, [key.sku])).has(key.sku)) {
    return new AppError('validation_failed', `${field}.sku is not stocked at any location`, {
      errors: [{ field: `${field}.sku`, message: 'is not stocked at any location' }],
    });
  }
  const onHand = Number(level?.on_hand ?? 0);
  const reserved = Number(level?.reserved ?? 0);
  const units =
    what.units === 'reserved'
      ? reserved
      : what.units === 'incoming'
        ? Number(level?.incoming ?? 0)
        : what.units === 'unreserved'
          ? onHand - reserved
          : (level ? freeUnits(level) : 0) - (what.holdback ?? 0);
  const available = Math.max(0, units);
  return new AppError(
    'insufficient_stock',
    `Only ${available} ${what.units} unit${available === 1 ? '' : 's'} of ${key.sku} at this location; ${wanted} asked.`,
    {
      sku: key.sku,
      location_id: key.location_id,
      requested: wanted,
      available,
      errors: [{ field: `${field}.quantity`, message: `exceeds the ${available} ${what.units} units` }],
    },
  );
}
