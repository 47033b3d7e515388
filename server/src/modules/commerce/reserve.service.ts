/**
 * @module Reserve and try in store: the shopper reserves a whole cart at one store that has the units now, pays
 * nothing online, and comes to try. The order is placed `pending_payment` with one fulfilment of mode
 * `reserve_in_store` in status `held` until `hold_until` (config.reserveInStoreHoldMs); its reservations are
 * confirmed, so only this hold ends them. At the store the associate either sells it — the customer pays there
 * (POS tenders: cash, card terminal, gift card, store credit, split) exactly the priced total of the lines they
 * keep; the other lines leave the order and their units go back on sale; the fulfilment is `handed_over` and the
 * order completes — or releases it: fulfilment `cancelled`, order `cancelled`, units back on sale. A hold that
 * ends unsold is released the same way by a job (`expired`). Steps at the store carry the store's channel.
 */
import type { FastifyBaseLogger } from 'fastify';
import { systemActor, type Actor } from '../../platform/auth/principal';
import { decodeJson } from '../../platform/db/codecs';
import { inTransaction } from '../../platform/db/transaction';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { startHousekeeping } from '../../platform/jobs/housekeeping';
import type { Money } from '../catalog';
import type { IdentityService } from '../customers';
import type { AvailabilityService, LocationsService } from '../inventory';
import type { CartsService } from './cart.service';
import type { ResolvedLine } from './checkout.delivery';
import {
  guestCustomerId,
  placeStep,
  priceStep,
  reserveStep,
  type CheckoutState,
  type StepsDeps,
} from './checkout.steps';
import { runWorkflow, type Step } from './checkout.workflow';
import { duePickupIds, findFulfilmentRow, moveFulfilment } from './fulfilment.repository';
import { findOrderRow, moveOrder } from './order.repository';
import type { OrderDetail } from './order.service';
import { fulfilAll, releaseAll } from './order.stock';
import { emitOrderEvent } from './order.write';
import { posProviders } from './pos.service';
import { compensate, payTenders, type TenderInput } from './payment.tender';

export interface ReserveInStoreInput {
  /** The store where the customer tries the goods: it must have every line's units now, for this channel. */
  location_id: string;
  email?: string | undefined;
  /** The total the shopper was shown (what they will pay if they keep everything). */
  expected_total?: Money | undefined;
}

export interface SellReservationInput {
  /** The order lines the customer keeps; the others are released. */
  keep_line_ids: string[];
  /** What the customer pays at the store: exactly the kept lines' total. */
  tenders: TenderInput[];
}

export interface ReserveDeps extends StepsDeps {
  carts: CartsService;
  identity: Pick<IdentityService, 'resolve'>;
  availability: Pick<AvailabilityService, 'checkAvailability'>;
  locations: Pick<LocationsService, 'retrieveLocation'>;
  holdMs: number;
}

const conflict = (message: string, field = 'params.id', extra: Record<string, unknown> = {}) =>
  new AppError('conflict', message, { ...extra, errors: [{ field, message }] });

export function createReserveService(deps: ReserveDeps) {
  const { db, events, reservations, payments, orders } = deps;

  /** The store's channel: steps at its counter happened there. */
  const storeChannel = async (locationId: string, fallback: string) =>
    (await deps.locations.retrieveLocation(locationId).catch(() => null))?.channel_id ?? fallback;

  /** Checks the store and that it has every line's units now (not on their way, no transfer): the lines located there. */
  async function locateAtStore(channelId: string, cart: CheckoutState['cart'], locationId: string) {
    const store = await deps.locations.retrieveLocation(locationId).catch(() => null);
    if (!store || !store.active || !store.capabilities.includes('pickup'))
      throw new AppError('validation_failed', 'body.location_id is not a store that takes reservations', {
        errors: [{ field: 'body.location_id', message: 'is not an active store with a pickup desk' }],
      });
    const out: ResolvedLine[] = [];
    for (const line of cart.lines) {
      const result = await deps.availability.checkAvailability({
        channel_id: channelId,
        skus: [line.sku],
        mode: 'pickup',
        quantity: line.quantity,
      });
      const sku = result.skus[0]!;
      const fits = (l: (typeof sku.locations)[number]) =>
        l.available >= line.quantity && l.promise !== null && !l.promise.factors.includes('incoming');
      const here = sku.locations.find((l) => l.location_id === store.id);
      if (!here || !fits(here)) {
        const elsewhere = sku.locations
          .filter(fits)
          .map((l) => ({ location_id: l.location_id, name: l.name }));
        const message =
          `${store.name} does not have ${line.quantity} × ${line.sku} to try now` +
          (elsewhere.length ? `; these stores do: ${elsewhere.map((l) => l.name).join(', ')}.` : '.');
        throw new AppError('insufficient_stock', message, {
          sku: line.sku,
          stores_with_stock: elsewhere,
          errors: [{ field: 'body.location_id', message }],
        });
      }
      // Priced and reserved like a pickup at this store: no shipping.
      out.push({
        line: { ...line, delivery_mode: 'pickup', location_id: store.id },
        location_id: store.id,
        promise: here.promise,
      });
    }
    return { store, resolved: out };
  }

  /**
   * Reserves a whole cart at one store to try there; nothing is charged. Returns the order and until when it is held.
   * @example await reserve.reserveInStore('crt_…', { location_id: 'loc_madrid' }, { channelId: 'cha_web', actor })
   */
  async function reserveInStore(
    cartId: string,
    input: ReserveInStoreInput,
    ctx: { channelId: string; actor: Actor },
  ): Promise<{ order: OrderDetail; access_secret: string; hold_until: string }> {
    const stored = await deps.carts.retrieveCart(cartId);
    // A guest's email makes her a customer (found or created), as at checkout: the reservation joins her timeline.
    const customerId =
      stored.customer_id ??
      (await guestCustomerId(deps.identity, stored, input.email, { ...ctx, reason: 'reserve in store' }));
    const holdMs = deps.holdMs;
    let holdUntil = 0;

    const validate: Step<CheckoutState> = {
      name: 'validate',
      async run(s) {
        if (stored.status !== 'open')
          throw conflict(`The cart is ${stored.status}: it was already checked out or merged.`, 'params.id', {
            status_now: stored.status,
          });
        if (stored.lines.length === 0)
          throw new AppError('validation_failed', 'The cart is empty.', {
            errors: [{ field: 'cart.lines', message: 'must not be empty' }],
          });
        if (!customerId)
          throw new AppError('validation_failed', 'body.email is required for a guest reservation', {
            errors: [{ field: 'body.email', message: 'is required: the cart has no customer or email' }],
          });
        const { resolved } = await locateAtStore(s.channel_id, s.cart, input.location_id);
        return {
          result: {
            resolved,
            cart: { ...s.cart, lines: resolved.map((r) => r.line) },
            modes: new Map(resolved.map((r) => [r.line.id, 'reserve_in_store' as const])),
          },
        };
      },
    };

    // In the order's own transaction: its fulfilment waits at the store instead of entering the queue.
    const hold = placeStep(deps, async (trx, placed, s) => {
      holdUntil = Date.now() + holdMs;
      const held = await trx
        .updateTable('fulfilments')
        .set({ status: 'held', hold_until: holdUntil, updated_at: Date.now() })
        .where('order_id', '=', placed.id)
        .where('status', '=', 'pending')
        .returningAll()
        .execute();
      for (const f of held)
        await emitOrderEvent(
          trx,
          events,
          'fulfilment.reserved_to_try',
          { id: placed.id, customer_id: s.cart.customer_id, channel_id: s.channel_id },
          s.actor,
          {
            fulfilment_id: f.id,
            location_id: f.location_id,
            mode: f.mode,
            hold_until: new Date(holdUntil).toISOString(),
          },
        );
    });

    const outcome = await runWorkflow<CheckoutState>(
      [validate, priceStep(deps, input.expected_total), reserveStep(deps, async () => undefined), hold],
      {
        checkout_id: newId('chk'),
        channel_id: ctx.channelId,
        source: 'checkout',
        actor: ctx.actor,
        cart: { ...stored, customer_id: customerId },
        persisted: true,
        email: input.email ?? stored.email,
        resolved: [],
        modes: new Map(),
        pricing: undefined as never,
        held: new Map(),
        payments: [],
        order: null,
      },
    );
    const placed = outcome.state.order!;
    return {
      order: await orders.retrieveOrder(placed.id),
      access_secret: placed.access_secret,
      hold_until: new Date(holdUntil).toISOString(),
    };
  }

  /** A held reservation to try, its order and its lines; anything else is refused naming `params.id`. */
  async function loadHeld(fulfilmentId: string) {
    const row = await findFulfilmentRow(db, fulfilmentId);
    if (!row) throw notFound('fulfilment', fulfilmentId);
    if (row.mode !== 'reserve_in_store')
      throw conflict(`Fulfilment ${fulfilmentId} is a ${row.mode} fulfilment, not a reservation to try.`);
    if (row.status !== 'held')
      throw conflict(
        `The reservation ${fulfilmentId} is ${row.status.replace(/_/g, ' ')}: it is no longer held at the store.`,
        'params.id',
        { status: row.status },
      );
    const order = (await findOrderRow(db, row.order_id))!;
    const lines = await db
      .selectFrom('order_lines')
      .selectAll()
      .where('fulfilment_id', '=', row.id)
      .orderBy('position')
      .execute();
    const reservationsOf = (ls: typeof lines) => ls.flatMap((l) => decodeJson<string[]>(l.reservation_ids));
    return { row, order, lines, reservationsOf };
  }

  /**
   * Sells a held reservation at the store: the customer pays the kept lines' total (the tenders must add up to it
   * exactly), the kept units are recorded as sold, the other lines leave the order and their units go back on sale.
   * @example await reserve.sellReservation('ful_…', { keep_line_ids: ['oli_…'], tenders: [{ provider: 'cash', amount: 2999, method: { tendered: 3000 } }] }, actor)
   */
  async function sellReservation(
    fulfilmentId: string,
    input: SellReservationInput,
    actor: Actor,
  ): Promise<{ order: OrderDetail; change_due: Money }> {
    const { row, order, lines, reservationsOf } = await loadHeld(fulfilmentId);
    const errors: FieldError[] = [];
    input.keep_line_ids.forEach((id, i) => {
      if (!lines.some((l) => l.id === id))
        errors.push({ field: `body.keep_line_ids.${i}`, message: 'is not a line of this reservation' });
    });
    input.tenders.forEach((t, i) => {
      if (!posProviders.includes(t.provider))
        errors.push({
          field: `body.tenders.${i}.provider`,
          message: `must be one of ${posProviders.join(', ')}`,
        });
    });
    if (errors.length > 0) throw new AppError('validation_failed', 'The sale is not valid.', { errors });
    if (order.status !== 'pending_payment')
      throw conflict(`Order ${order.id} is ${order.status.replace(/_/g, ' ')}: it cannot be sold now.`);
    const keep = new Set(input.keep_line_ids);
    const kept = lines.filter((l) => keep.has(l.id));
    const dropped = lines.filter((l) => !keep.has(l.id));
    const sum = (f: (l: (typeof lines)[number]) => number) => kept.reduce((n, l) => n + f(l), 0);
    const totals = {
      subtotal: sum((l) => Number(l.unit_price) * Number(l.quantity)),
      discount: sum((l) => Number(l.discount)),
      tax: sum((l) => Number(l.tax)),
      total: sum((l) => Number(l.total)) + Number(order.shipping_total),
    };
    const due = { amount: totals.total, currency: order.currency };
    const channelId = await storeChannel(row.location_id, order.channel_id);
    // The sale claims the reservation first (held → handed over, guarded), so a release or the expiry job that
    // comes while the customer pays finds it no longer held, and no units are sold for a cancelled order. Then
    // money (undone, with the claim, if anything after fails), the kept units as sales, the order in one go.
    const claimed = await moveFulfilment(db, row.id, ['held'], 'handed_over', { collected_at: Date.now() });
    if (!claimed) throw conflict(`The reservation ${row.id} changed meanwhile: it was released or sold.`);
    const unclaim = () => moveFulfilment(db, row.id, ['handed_over'], 'held', { collected_at: null });
    let taken: Awaited<ReturnType<typeof payTenders>>;
    try {
      taken = await payTenders(
        payments,
        {
          channel_id: channelId,
          ...(order.customer_id ? { customer_id: order.customer_id } : {}),
          amount_due: due,
          tenders: input.tenders,
        },
        actor,
      );
    } catch (err) {
      await unclaim();
      throw err;
    }
    let sold = false;
    try {
      await fulfilAll(reservations, reservationsOf(kept), actor);
      sold = true;
      await inTransaction(db, async (trx) => {
        const now = Date.now();
        const where = { id: order.id, customer_id: order.customer_id, channel_id: channelId };
        if (dropped.length > 0) {
          await trx
            .deleteFrom('order_lines')
            .where(
              'id',
              'in',
              dropped.map((l) => l.id),
            )
            .execute();
          await trx
            .updateTable('orders')
            .set({
              subtotal: totals.subtotal,
              discount_total: totals.discount,
              tax_total: totals.tax,
              total: totals.total,
              updated_at: now,
            })
            .where('id', '=', order.id)
            .execute();
          await trx
            .insertInto('order_edits')
            .values({
              id: newId('oed'),
              order_id: order.id,
              previous_total: Number(order.total),
              new_total: totals.total,
              balance_due: totals.total,
              actor_type: actor.type,
              actor_id: actor.id,
              created_at: now,
            })
            .execute();
        }
        await payments.attachToOrder(trx, {
          cart_id: null,
          order_id: order.id,
          payment_ids: taken.map((p) => p.id),
        });
        await emitOrderEvent(trx, events, 'fulfilment.reservation_sold', where, actor, {
          fulfilment_id: row.id,
          location_id: row.location_id,
          mode: row.mode,
          number: Number(order.number),
          kept: kept.map((l) => ({ sku: l.sku, quantity: Number(l.quantity) })),
          released: dropped.map((l) => ({ sku: l.sku, quantity: Number(l.quantity) })),
          total: due,
          payment_ids: taken.map((p) => p.id),
        });
        // Paid → the only fulfilment is handed over → completed.
        await orders.syncPaymentState(trx, order.id, actor);
      });
    } catch (err) {
      await compensate(payments, taken, actor);
      // Units already recorded as sold cannot go back on hold: the reservation stays handed over for staff to see.
      if (!sold) await unclaim();
      throw err;
    }
    await releaseAll(reservations, reservationsOf(dropped), actor, 'not kept after trying in store');
    const change = taken.reduce(
      (n, p) => n + (p.provider === 'cash' ? Number(p.details.change_due ?? 0) : 0),
      0,
    );
    return {
      order: await orders.retrieveOrder(order.id),
      change_due: { amount: change, currency: order.currency },
    };
  }

  /**
   * Ends a held reservation unsold: the fulfilment (`cancelled` by the store, `expired` by the job) and its order
   * (`cancelled`) in one transaction, then the units go back on sale. Null when it was no longer held (or, for the
   * job, its hold not ended); a reservation being sold right now wins.
   */
  async function end(
    fulfilmentId: string,
    how: { to: 'cancelled' | 'expired'; actor: Actor; now: number },
  ): Promise<boolean> {
    const { row, order, lines, reservationsOf } = await loadHeld(fulfilmentId);
    const ids = reservationsOf(lines);
    for (const id of ids)
      if ((await reservations.retrieveReservation(id).catch(() => null))?.status === 'fulfilled')
        throw conflict(`The reservation ${fulfilmentId} is being sold at the store.`);
    const channelId = await storeChannel(row.location_id, order.channel_id);
    const done = await inTransaction(db, async (trx) => {
      const moved = await moveFulfilment(
        trx,
        row.id,
        ['held'],
        how.to,
        how.to === 'expired' ? { expired_at: how.now } : { cancelled_at: how.now },
        how.to === 'expired' ? { holdEndedBy: how.now } : {},
      );
      if (!moved) return false;
      const cancelled = await moveOrder(trx, order.id, ['pending_payment'], 'cancelled', {
        cancelled_at: how.now,
      });
      const where = { id: order.id, customer_id: order.customer_id, channel_id: channelId };
      await emitOrderEvent(
        trx,
        events,
        how.to === 'expired' ? 'fulfilment.reservation_expired' : 'fulfilment.reservation_released',
        where,
        how.actor,
        { fulfilment_id: row.id, location_id: row.location_id, mode: row.mode, number: Number(order.number) },
      );
      if (cancelled)
        await emitOrderEvent(trx, events, 'order.cancelled', cancelled, how.actor, {
          number: Number(order.number),
          reason: how.to === 'expired' ? 'reservation_expired' : 'reservation_released',
        });
      return true;
    });
    if (done) await releaseAll(reservations, ids, how.actor, `reservation to try ${how.to}`);
    return done;
  }

  return {
    reserveInStore,
    sellReservation,

    /**
     * The customer does not buy: the reservation is cancelled with its order and the units go back on sale.
     * @example await reserve.releaseReservation('ful_…', actor)
     */
    async releaseReservation(fulfilmentId: string, actor: Actor): Promise<OrderDetail> {
      const { row } = await loadHeld(fulfilmentId);
      if (!(await end(fulfilmentId, { to: 'cancelled', actor, now: Date.now() })))
        throw conflict(`The reservation ${fulfilmentId} changed meanwhile: it was sold or released.`);
      return orders.retrieveOrder(row.order_id);
    },

    /** Releases every reservation to try whose hold has ended; returns how many. */
    async expireDueReservations(now = Date.now()): Promise<number> {
      let expired = 0;
      for (;;) {
        const ids = await duePickupIds(db, now, 200, 'held');
        for (const id of ids) {
          const ok = await end(id, { to: 'expired', actor: systemActor, now }).catch(() => false);
          if (ok) expired += 1;
        }
        if (ids.length < 200) return expired;
      }
    },

    startJobs(log: FastifyBaseLogger, everyMs: number): () => void {
      return startHousekeeping([async () => void (await this.expireDueReservations())], everyMs, log);
    },
  };
}

export type ReserveService = ReturnType<typeof createReserveService>;
