/**
 * @module Fulfilment per location: ship (pick → pack → ship with carrier and tracking), pickup (ready for pickup
 * with a code → collected, or expired after the hold), same-day (out for delivery → delivered) and POS handover.
 * When goods leave (shipped, collected, delivered, handed over) their reservations are fulfilled through the
 * inventory module first — so the ledger records the sale — and then the step and its event are written in one
 * transaction with the order's status following.
 */
import type { Selectable } from 'kysely';
import { AppError, notFound } from '../../platform/errors';
import { systemActor, type Actor } from '../../platform/auth/principal';
import { decodeJson } from '../../platform/db/codecs';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { startHousekeeping } from '../../platform/jobs/housekeeping';
import type { FastifyBaseLogger } from 'fastify';
import type { CommerceDeps } from './commerce';
import {
  countWrongCode,
  duePickupIds,
  findFulfilmentRow,
  fulfilmentFromRow,
  listFulfilmentRows,
  moveFulfilment,
  type Fulfilment,
  type FulfilmentPatch,
  type FulfilmentStatus,
} from './fulfilment.repository';
import type { FulfilmentRow } from './fulfilment.table';
import { findOrderRow, type LineDeliveryMode, type OrderStatus } from './order.repository';
import type { OrdersService } from './order.service';
import { fulfilAll, releaseAll } from './order.stock';
import { emitOrderEvent } from './order.write';
import { MAX_PICKUP_ATTEMPTS, hashPickupCode, newPickupCode, pickupCodeMatches } from './pickup';

export const fulfilmentSteps = [
  'receive_transfer',
  'pick',
  'pack',
  'ship',
  'ready_for_pickup',
  'out_for_delivery',
  'deliver',
  'hand_over',
] as const;
export type FulfilmentStep = (typeof fulfilmentSteps)[number] | 'collect';

interface StepRule {
  modes: LineDeliveryMode[];
  from: FulfilmentStatus[];
  to: FulfilmentStatus;
  at: keyof FulfilmentPatch;
  event: string;
  /** The goods leave the location: their reservations become sales. */
  leaves?: boolean;
}

const rules: Record<FulfilmentStep, StepRule> = {
  // Pickup after transfer: the store received the units (they are reserved there now); the pickup is then prepared.
  receive_transfer: {
    modes: ['pickup'],
    from: ['in_transit'],
    to: 'pending',
    at: 'updated_at',
    event: 'fulfilment.transfer_received',
  },
  pick: {
    modes: ['ship', 'pickup', 'same_day'],
    from: ['pending'],
    to: 'picked',
    at: 'picked_at',
    event: 'fulfilment.picked',
  },
  pack: {
    modes: ['ship', 'same_day'],
    from: ['picked'],
    to: 'packed',
    at: 'packed_at',
    event: 'fulfilment.packed',
  },
  ship: {
    modes: ['ship'],
    from: ['packed'],
    to: 'shipped',
    at: 'shipped_at',
    event: 'fulfilment.shipped',
    leaves: true,
  },
  // Marking a waiting pickup ready again issues a new code (the customer lost theirs, or it was locked).
  ready_for_pickup: {
    modes: ['pickup'],
    from: ['pending', 'picked', 'ready_for_pickup'],
    to: 'ready_for_pickup',
    at: 'ready_at',
    event: 'fulfilment.ready_for_pickup',
  },
  collect: {
    modes: ['pickup'],
    from: ['ready_for_pickup'],
    to: 'collected',
    at: 'collected_at',
    event: 'fulfilment.collected',
    leaves: true,
  },
  out_for_delivery: {
    modes: ['same_day'],
    from: ['pending', 'picked', 'packed'],
    to: 'out_for_delivery',
    at: 'out_for_delivery_at',
    event: 'fulfilment.out_for_delivery',
  },
  deliver: {
    modes: ['same_day'],
    from: ['out_for_delivery'],
    to: 'delivered',
    at: 'delivered_at',
    event: 'fulfilment.delivered',
    leaves: true,
  },
  hand_over: {
    modes: ['handover'],
    from: ['pending'],
    to: 'handed_over',
    at: 'collected_at',
    event: 'fulfilment.handed_over',
    leaves: true,
  },
};

const conflict = (message: string, field = 'params.id', extra: Record<string, unknown> = {}) =>
  new AppError('conflict', message, { ...extra, errors: [{ field, message }] });

export interface ShipDetails {
  carrier?: string | undefined;
  tracking_number?: string | undefined;
  tracking_url?: string | undefined;
}

export function createFulfilmentsService(
  deps: Pick<CommerceDeps, 'db' | 'events' | 'reservations' | 'locations' | 'transfers'> & {
    orders: OrdersService;
    pickupHoldMs: number;
    /**
     * Tells the customer their pickup code: called with the new code before the step is written, it returns the
     * writer that records the rendered notice in the step's own transaction (the code lives nowhere else), or
     * null. Default: nobody is told.
     */
    notifyPickupReady?: (info: {
      order_id: string;
      fulfilment_id: string;
      customer_id: string | null;
      location_id: string;
      code: string;
      hold_until: number;
    }) => Promise<((trx: Trx) => Promise<void>) | null>;
  },
) {
  const { db, events, reservations, orders } = deps;

  async function reservationIdsOf(fulfilmentId: string): Promise<string[]> {
    const lines = await db
      .selectFrom('order_lines')
      .select('reservation_ids')
      .where('fulfilment_id', '=', fulfilmentId)
      .execute();
    return lines.flatMap((l) => decodeJson<string[]>(l.reservation_ids));
  }

  /** Checks that the step applies to this fulfilment now; nothing is written when it does not. */
  async function check(id: string, step: FulfilmentStep) {
    const row = await findFulfilmentRow(db, id);
    if (!row) throw notFound('fulfilment', id);
    const rule = rules[step];
    if (!rule.modes.includes(row.mode as LineDeliveryMode))
      throw conflict(`A ${row.mode} fulfilment has no ${step.replace(/_/g, ' ')} step.`);
    const order = (await findOrderRow(db, row.order_id))!;
    const open: OrderStatus[] = ['paid', 'fulfilling', 'partially_fulfilled'];
    // A POS sale hands over at the till while the tender settles; everything else waits for payment. Goods on
    // their way arrive whether or not the order is paid yet.
    if (step === 'hand_over' || step === 'receive_transfer') open.push('pending_payment');
    if (!open.includes(order.status as OrderStatus))
      throw conflict(
        `Order ${order.id} is ${order.status.replace(/_/g, ' ')}: it cannot be fulfilled now.`,
        'params.id',
        {
          order_status: order.status,
        },
      );
    if (row.status === 'in_transit' && step !== 'receive_transfer')
      throw conflict(
        `The units of fulfilment ${id} are still on their way to the store (transfer ${row.transfer_id}): ` +
          'receive the transfer first.',
        'params.id',
        { status: row.status, transfer_id: row.transfer_id },
      );
    if (!rule.from.includes(row.status as FulfilmentStatus))
      throw conflict(
        `Fulfilment ${id} is ${row.status.replace(/_/g, ' ')}: it cannot ${step.replace(/_/g, ' ')}.`,
        'params.id',
        {
          status: row.status,
        },
      );
    return { row, order, rule };
  }

  /** Writes the step, its event and the order's status in one transaction. */
  async function write(
    row: Selectable<FulfilmentRow>,
    order: { id: string; customer_id: string | null; channel_id: string },
    rule: StepRule,
    actor: Actor,
    patch: FulfilmentPatch,
    data: Record<string, unknown> = {},
    extra: (trx: Trx) => Promise<void> = async () => undefined,
  ): Promise<Fulfilment> {
    const now = Date.now();
    // A step at a store's counter (ready for pickup, collected, handed over) happened in that store's channel; a
    // parcel or a delivery stays in the channel the order came from.
    const atCounter = row.mode === 'pickup' || row.mode === 'handover'; // receiving a transfer too
    const storeChannel = atCounter
      ? ((await deps.locations.retrieveLocation(row.location_id).catch(() => null))?.channel_id ?? null)
      : null;
    const where = { ...order, channel_id: storeChannel ?? order.channel_id };
    const moved = await inTransaction(db, async (trx) => {
      const after = await moveFulfilment(trx, row.id, rule.from, rule.to, { [rule.at]: now, ...patch });
      if (!after) throw conflict(`Fulfilment ${row.id} changed meanwhile.`);
      await emitOrderEvent(trx, events, rule.event, where, actor, {
        fulfilment_id: row.id,
        location_id: row.location_id,
        mode: row.mode,
        ...data,
      });
      await extra(trx);
      await orders.followFulfilments(trx, order.id, actor);
      return after;
    });
    return fulfilmentFromRow(moved);
  }

  return {
    retrieveFulfilment: async (id: string) => {
      const row = await findFulfilmentRow(db, id);
      if (!row) throw notFound('fulfilment', id);
      return fulfilmentFromRow(row);
    },

    /** The queue of a location (fulfilment desk, pickup desk), newest first. */
    listFulfilments: (filter: Parameters<typeof listFulfilmentRows>[1]) => listFulfilmentRows(db, filter),

    /**
     * Moves a fulfilment one step on. Ship takes carrier and tracking; goods that leave are recorded as sales.
     * @example await fulfilments.advance('ful_…', 'ship', actor, { carrier: 'SEUR', tracking_number: '123' })
     */
    async advance(
      id: string,
      step: Exclude<FulfilmentStep, 'ready_for_pickup' | 'collect' | 'receive_transfer'>,
      actor: Actor,
      details: ShipDetails = {},
    ) {
      const { row, order, rule } = await check(id, step);
      if (rule.leaves) await fulfilAll(reservations, await reservationIdsOf(id), actor);
      const patch: FulfilmentPatch =
        step === 'ship'
          ? {
              carrier: details.carrier ?? null,
              tracking_number: details.tracking_number ?? null,
              tracking_url: details.tracking_url ?? null,
            }
          : {};
      const data =
        step === 'ship'
          ? {
              carrier: patch.carrier,
              tracking_number: patch.tracking_number,
              tracking_url: patch.tracking_url,
            }
          : {};
      return write(row, order, rule, actor, patch, data);
    },

    /**
     * Pickup after transfer: the store receives the transfer bringing the units (inventory holds them here now;
     * a transfer already received through /v1/transfers counts), and the pickup waits to be made ready.
     * @example await fulfilments.receiveTransfer('ful_…', actor)
     */
    async receiveTransfer(id: string, actor: Actor): Promise<Fulfilment> {
      const { row, order, rule } = await check(id, 'receive_transfer');
      const transferId = row.transfer_id!;
      const transfer = await deps.transfers.retrieveTransfer(transferId);
      if (transfer.status === 'in_transit')
        await deps.transfers.receiveTransfer(transferId, {}, actor).catch(async (err: unknown) => {
          // Received meanwhile (another associate, or /v1/transfers): the units are here either way.
          if ((await deps.transfers.retrieveTransfer(transferId)).status !== 'received') throw err;
        });
      return write(
        row,
        order,
        rule,
        actor,
        {},
        {
          transfer_id: transferId,
          source_location_id: row.source_location_id,
        },
      );
    },

    /**
     * Marks a pickup ready at the store: a new six-digit code (returned once, stored hashed), the hold starts.
     * @example const { pickup_code } = await fulfilments.readyForPickup('ful_…', actor)
     */
    async readyForPickup(id: string, actor: Actor): Promise<{ fulfilment: Fulfilment; pickup_code: string }> {
      const { row, order, rule } = await check(id, 'ready_for_pickup');
      const code = newPickupCode();
      const holdUntil = Date.now() + deps.pickupHoldMs;
      // Rendered before the transaction (it reads other services), recorded inside it.
      const notice = await deps.notifyPickupReady?.({
        order_id: order.id,
        fulfilment_id: id,
        customer_id: order.customer_id,
        location_id: row.location_id,
        code,
        hold_until: holdUntil,
      });
      const fulfilment = await write(
        row,
        order,
        rule,
        actor,
        { pickup_code_hash: hashPickupCode(id, code), pickup_attempts: 0, hold_until: holdUntil },
        { hold_until: new Date(holdUntil).toISOString() },
        notice ?? undefined,
      );
      return { fulfilment, pickup_code: code };
    },

    /**
     * Hands a pickup over to the customer presenting its code. A wrong code → 422 pickup_code_mismatch and only
     * the attempt is counted; past the limit the pickup is locked until it is marked ready again.
     */
    async collect(id: string, code: string, actor: Actor): Promise<Fulfilment> {
      const { row, order, rule } = await check(id, 'collect');
      if (Number(row.pickup_attempts) >= MAX_PICKUP_ATTEMPTS)
        throw conflict('Too many wrong codes: mark the pickup ready again to issue a new code.', 'body.code');
      if (!pickupCodeMatches(id, code, row.pickup_code_hash)) {
        const after = await inTransaction(db, (trx) => countWrongCode(trx, id, MAX_PICKUP_ATTEMPTS));
        throw new AppError('pickup_code_mismatch', 'This is not the code of this pickup.', {
          attempts_left: Math.max(
            0,
            MAX_PICKUP_ATTEMPTS - Number(after?.pickup_attempts ?? MAX_PICKUP_ATTEMPTS),
          ),
          errors: [{ field: 'body.code', message: 'does not match the pickup code' }],
        });
      }
      await fulfilAll(reservations, await reservationIdsOf(id), actor);
      return write(row, order, rule, actor, { pickup_code_hash: null });
    },

    /**
     * Expires pickups whose hold ended: their units go back on sale, then the step and `fulfilment.pickup_expired`
     * are written. A pickup being collected at the same moment wins (its reservations are already sales).
     * Returns how many expired.
     */
    async expireDuePickups(now = Date.now()): Promise<number> {
      let expired = 0;
      for (;;) {
        const ids = await duePickupIds(db, now, 200);
        for (const id of ids) if (await expireOne(id, now)) expired += 1;
        if (ids.length < 200) return expired;
      }
    },

    startJobs(log: FastifyBaseLogger, everyMs: number): () => void {
      return startHousekeeping([async () => void (await this.expireDuePickups())], everyMs, log);
    },
  };

  async function expireOne(id: string, now: number): Promise<boolean> {
    const ids = await reservationIdsOf(id);
    for (const rid of ids) {
      const r = await reservations.retrieveReservation(rid).catch(() => null);
      if (r?.status === 'fulfilled') return false; // being collected right now
    }
    await releaseAll(reservations, ids, systemActor, 'pickup expired');
    const row = (await findFulfilmentRow(db, id))!;
    const order = (await findOrderRow(db, row.order_id))!;
    const status = await inTransaction(db, async (trx) => {
      const after = await moveFulfilment(
        trx,
        id,
        ['ready_for_pickup'],
        'expired',
        { expired_at: now, pickup_code_hash: null },
        { holdEndedBy: now },
      );
      if (!after) return null;
      await emitOrderEvent(trx, events, 'fulfilment.pickup_expired', order, systemActor, {
        fulfilment_id: id,
        location_id: row.location_id,
        mode: row.mode,
      });
      return orders.followFulfilments(trx, order.id, systemActor);
    });
    if (status === 'cancelled') await orders.internals.hooks.reversePayments(order.id, systemActor);
    return status !== null;
  }
}

export type FulfilmentsService = ReturnType<typeof createFulfilmentsService>;
