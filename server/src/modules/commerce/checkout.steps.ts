/**
 * @module The steps of checkout (and of a POS sale, which reuses them): price, reserve, pay, place. Each returns
 * its result and the undo of what it did; checkout.workflow runs them and undoes the finished ones in reverse when
 * a later one fails, so a refused checkout leaves no stock held and no money taken. Placing writes the order,
 * confirms its reservations, attaches the payments and converts the cart in one transaction.
 */
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import type { ReservationsService, TransfersService } from '../inventory';
import type { Money } from '../catalog';
import type { IdentityService } from '../customers';
import type { Cart } from './cart.repository';
import type { ResolvedLine } from './checkout.delivery';
import { toOrderLines, type LineReservation } from './checkout.lines';
import { convertCart } from './checkout.repository';
import type { Step } from './checkout.workflow';
import type { LineDeliveryMode, OrderSource } from './order.repository';
import type { OrdersService } from './order.service';
import { releaseAll } from './order.stock';
import type { Payment } from './payment.repository';
import { sendPickupTransfers } from './pickup.transfer';
import type { PaymentsService } from './payment.service';
import { compensate, payTenders, type TenderInput } from './payment.tender';
import type { CartPricing, Pricing } from './pricing';

/** What the steps build up. `cart` is the shopper's cart, or a till's transient one (`persisted: false`). */
export interface CheckoutState {
  checkout_id: string;
  channel_id: string;
  source: OrderSource;
  actor: Actor;
  cart: Cart;
  persisted: boolean;
  email: string | null;
  resolved: ResolvedLine[];
  /** Line modes as the order stores them (POS: `handover` for lines taken at the till). */
  modes: Map<string, LineDeliveryMode>;
  pricing: CartPricing;
  held: Map<string, LineReservation[]>;
  payments: Payment[];
  order: { id: string; number: number; access_secret: string } | null;
}

export interface StepsDeps {
  db: Db;
  events: EventBus;
  pricing: Pricing;
  reservations: ReservationsService;
  transfers: TransfersService;
  payments: PaymentsService;
  orders: OrdersService;
}

/**
 * The customer a guest's cart belongs to once she leaves her email: identity resolution finds her, or creates her
 * unverified, so the order (or reservation) lands on her one profile and timeline. Null when the cart already has
 * its customer, has no email, or is not an open cart with lines. A malformed email is refused naming `body.email`.
 */
export async function guestCustomerId(
  identity: Pick<IdentityService, 'resolve'>,
  cart: Pick<Cart, 'customer_id' | 'email' | 'status' | 'lines'>,
  email: string | null | undefined,
  ctx: { channelId: string; actor: Actor; reason: string },
): Promise<string | null> {
  const guestEmail = cart.customer_id ? null : (email ?? cart.email);
  if (!guestEmail || cart.status !== 'open' || cart.lines.length === 0) return null;
  const resolved = await identity
    .resolve({
      identifiers: [{ type: 'email', value: guestEmail }],
      channelId: ctx.channelId,
      actor: ctx.actor,
      reason: ctx.reason,
    })
    .catch((err: unknown) => {
      if (!(err instanceof AppError) || err.code !== 'validation_failed') throw err;
      throw new AppError('validation_failed', 'The email is not a valid address.', {
        errors: [{ field: 'body.email', message: 'is not a valid email address' }],
      });
    });
  return resolved.customerId;
}

const fmt = (m: Money) => `${(m.amount / 100).toFixed(2)} ${m.currency}`;

/** Re-prices the cart now; a total other than the one the shopper saw stops checkout before anything is held. */
export function priceStep(deps: StepsDeps, expected: Money | undefined): Step<CheckoutState> {
  return {
    name: 'price',
    async run(s) {
      const pricing = await deps.pricing.priceCart(s.cart, { channelId: s.channel_id });
      if (pricing.issues.length > 0)
        throw new AppError(
          'unprocessable',
          `The cart cannot be checked out yet: ${pricing.issues[0]!.detail}.`,
          {
            issues: pricing.issues,
            errors: pricing.issues.map((i) => ({
              field: i.line_id ? `cart.lines.${s.cart.lines.findIndex((l) => l.id === i.line_id)}` : 'cart',
              message: i.detail,
            })),
          },
        );
      const total = pricing.grand_total;
      if (expected && (expected.amount !== total.amount || expected.currency !== total.currency))
        throw new AppError(
          'checkout_price_changed',
          `The total is now ${fmt(total)}, not the ${fmt(expected)} shown. Nothing was charged.`,
          { pricing, errors: [{ field: 'body.expected_total', message: `is now ${total.amount}` }] },
        );
      return { result: { pricing } };
    },
  };
}

/** The reservations service names its own `body.lines.k`: point at the cart line instead. */
function onCartLines(err: unknown, indexes: number[]): unknown {
  if (!(err instanceof AppError) || !Array.isArray(err.details.errors)) return err;
  const errors = err.details.errors.map((e) => ({
    ...e,
    field: e.field.replace(/^body\.lines\.(\d+)/, (_, k: string) => `cart.lines.${indexes[Number(k)]}`),
  }));
  return new AppError(err.code, err.message, { ...err.details, errors });
}

/**
 * Holds every line's units, keyed per checkout and cart line (a retried or resumed checkout finds the same
 * reservations). Located lines (pickup, same day, till) at their location; ship lines where sourcing chooses.
 * A held reservation found expired (a checkout resumed too late) stops checkout with `reservation_expired`.
 */
export function reserveStep(deps: StepsDeps, onExpired: () => Promise<void>): Step<CheckoutState> {
  return {
    name: 'reserve',
    async run(s) {
      const keyOf = (lineId: string) => `${s.checkout_id}:${lineId}`;
      const created: string[] = [];
      const held = new Map<string, LineReservation[]>();
      const undo = () => releaseAll(deps.reservations, created, s.actor, 'checkout not completed');
      const groups = [s.resolved.filter((r) => r.location_id), s.resolved.filter((r) => !r.location_id)];
      try {
        for (const group of groups) {
          if (group.length === 0) continue;
          const indexes = group.map((r) => s.cart.lines.indexOf(r.line));
          const result = await deps.reservations
            .reserve(
              {
                channel_id: s.channel_id,
                reference: { type: 'cart', id: s.cart.id },
                lines: group.map((r) => ({
                  sku: r.line.sku,
                  quantity: r.line.quantity,
                  ...(r.location_id ? { location_id: r.location_id } : {}),
                  key: keyOf(r.line.id),
                })),
              },
              s.actor,
            )
            .catch((err: unknown) => {
              throw onCartLines(err, indexes);
            });
          for (const res of result.reservations) {
            if (res.status === 'active') created.push(res.id);
            const line = group.find(
              (r) => res.key === keyOf(r.line.id) || res.key?.startsWith(`${keyOf(r.line.id)}/`),
            );
            held.set(line!.line.id, [
              ...(held.get(line!.line.id) ?? []),
              { id: res.id, location_id: res.location_id, quantity: res.quantity, status: res.status },
            ]);
          }
        }
        const lapsed = [...held.values()].flat().filter((r) => r.status !== 'active');
        if (lapsed.length > 0) {
          await onExpired();
          throw new AppError(
            'reservation_expired',
            'The stock held for this checkout was released before payment completed; nothing was charged. Check out again.',
            {
              reservation_ids: lapsed.map((r) => r.id),
              errors: [{ field: 'body.checkout_id', message: 'has expired' }],
            },
          );
        }
      } catch (err) {
        await undo();
        throw err;
      }
      return { result: { held }, undo };
    },
  };
}

/** A tender of a checkout: its amount may be left out when it pays the whole total. */
export type CheckoutTender = Omit<TenderInput, 'amount'> & { amount?: number | undefined };

export interface PayInput {
  tenders: CheckoutTender[];
  /** Continue with a payment taken earlier in this checkout (after the customer confirmed it). */
  payment_id?: string | undefined;
}

/**
 * Takes the money. One tender may wait for the customer (3-D Secure): the workflow then suspends with the
 * reservations held until their TTL. Several tenders must all settle now (payment.tender undoes the others).
 */
export function payStep(deps: StepsDeps, input: PayInput): Step<CheckoutState> {
  return {
    name: 'pay',
    async run(s) {
      const due = s.pricing.grand_total;
      const undoOf = (taken: Payment[]) => async () => void (await compensate(deps.payments, taken, s.actor));
      let taken: Payment[] = [];
      if (input.payment_id) {
        const p = await deps.payments.retrievePayment(input.payment_id).catch(() => null);
        if (!p || p.cart_id !== s.cart.id || p.order_id !== null)
          throw new AppError('validation_failed', 'body.payment_id is not a payment of this checkout', {
            errors: [{ field: 'body.payment_id', message: "is not an open payment of this cart's checkout" }],
          });
        if (p.amount.amount !== due.amount || p.amount.currency !== due.currency) {
          await undoOf([p])();
          throw new AppError(
            'checkout_price_changed',
            `The total is now ${fmt(due)}; the payment was given back.`,
            {
              pricing: s.pricing,
              errors: [
                {
                  field: 'body.payment_id',
                  message: `is for ${p.amount.amount}, the total is ${due.amount}`,
                },
              ],
            },
          );
        }
        if (p.status === 'requires_action' || p.status === 'pending')
          return { result: { payments: [p] }, suspend: true };
        if (p.status !== 'captured' && p.status !== 'authorized')
          throw new AppError('payment_declined', `The payment is ${p.status}; nothing was charged.`, {
            payment_id: p.id,
            decline_code: p.failure_code,
          });
        taken = [p];
      } else if (due.amount > 0) {
        const [only] = input.tenders;
        if (input.tenders.length === 1 && only && (only.amount === undefined || only.amount === due.amount)) {
          const p = await deps.payments.createPayment(
            {
              provider: only.provider,
              amount: due,
              channel_id: s.channel_id,
              ...(s.persisted ? { cart_id: s.cart.id } : {}),
              ...(s.cart.customer_id ? { customer_id: s.cart.customer_id } : {}),
              capture: true,
              method: only.method,
            },
            s.actor,
          );
          if (p.status === 'requires_action') return { result: { payments: [p] }, suspend: true };
          taken = [p];
        } else {
          taken = await payTenders(
            deps.payments,
            {
              channel_id: s.channel_id,
              ...(s.persisted ? { cart_id: s.cart.id } : {}),
              ...(s.cart.customer_id ? { customer_id: s.cart.customer_id } : {}),
              amount_due: due,
              tenders: input.tenders.map((t) => ({ ...t, amount: t.amount ?? due.amount })),
            },
            s.actor,
          );
        }
      }
      return { result: { payments: taken }, undo: undoOf(taken) };
    },
  };
}

/**
 * Writes the order from the priced lines and their reservations, confirming the reservations, attaching the
 * payments and converting the cart in the same transaction: all of it happens, or none. `within` adds a flow's own
 * writes to that transaction (a reservation to try in store puts its fulfilment on hold there).
 */
export function placeStep(
  deps: StepsDeps,
  within?: (trx: Trx, order: { id: string; number: number }, s: CheckoutState) => Promise<void>,
): Step<CheckoutState> {
  return {
    name: 'place',
    async run(s) {
      const priced = new Map(s.pricing.lines.map((l) => [l.id, l]));
      const lines = s.resolved.flatMap((r) =>
        toOrderLines(
          priced.get(r.line.id)!,
          s.modes.get(r.line.id) ?? r.line.delivery_mode,
          s.held.get(r.line.id)!,
        ).map((l) =>
          // Pickup after transfer: the line is collected at the store, its units held at the source for now.
          r.transfer_to
            ? {
                ...l,
                delivery: {
                  ...l.delivery,
                  location_id: r.transfer_to.location_id,
                  source_location_id: l.delivery.location_id,
                },
              }
            : l,
        ),
      );
      const prepared = await deps.orders.prepareOrder({
        channel_id: s.channel_id,
        customer_id: s.cart.customer_id,
        source: s.source,
        currency: s.pricing.currency,
        lines,
        shipping: s.pricing.shipping_total.amount,
        ...(s.email ? { email: s.email } : {}),
        ...(s.cart.shipping_address ? { shipping_address: { ...s.cart.shipping_address } } : {}),
      });
      const ids = lines.flatMap((l) => l.reservation_ids ?? []);
      const paymentIds = s.payments.map((p) => p.id);
      const order = await inTransaction(deps.db, async (trx) => {
        for (const id of ids)
          await deps.reservations.confirm(id, s.actor, trx).catch((err: unknown) => {
            if (err instanceof AppError && err.code === 'conflict')
              throw new AppError(
                'reservation_expired',
                'The stock held for this checkout expired before the order was placed; nothing was charged.',
                { reservation_ids: [id], errors: [{ field: 'cart.lines', message: err.message }] },
              );
            throw err;
          });
        const placed = await deps.orders.createOrder(trx, prepared, s.actor);
        if (s.resolved.some((r) => r.transfer_to))
          await sendPickupTransfers(
            trx,
            deps,
            { ...placed, customer_id: s.cart.customer_id, channel_id: s.channel_id },
            s.resolved,
            s.actor,
          );
        await deps.payments.attachToOrder(trx, {
          cart_id: s.persisted ? s.cart.id : null,
          order_id: placed.id,
          payment_ids: paymentIds,
        });
        await deps.orders.syncPaymentState(trx, placed.id, s.actor);
        await within?.(trx, placed, s);
        if (s.persisted && !(await convertCart(trx, s.cart.id)))
          throw new AppError('conflict', 'The cart was checked out meanwhile; this checkout was undone.', {
            errors: [{ field: 'params.id', message: 'is no longer open' }],
          });
        await deps.events.append(trx, {
          type: 'checkout.completed',
          aggregate: { type: 'cart', id: s.cart.id },
          customerId: s.cart.customer_id,
          channelId: s.channel_id,
          actor: s.actor,
          data: {
            checkout_id: s.checkout_id,
            cart_id: s.persisted ? s.cart.id : null,
            order_id: placed.id,
            source: s.source,
            payment_ids: paymentIds,
            total: s.pricing.grand_total,
          },
        });
        return placed;
      });
      return {
        result: { order: { id: order.id, number: order.number, access_secret: order.access_secret } },
      };
    },
  };
}
