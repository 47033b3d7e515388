/**
 * @module Orders from every channel: checkout, POS, phone and chat orders taken by an agent, marketplace imports —
 * all through one prepare + create, human order numbers, states that follow payments and fulfilments, and the
 * order status page. Payments and re-pricing are other engineers' services, reached through hooks `connect` sets
 * (until then: no payments, caller-priced edits).
 */
import { isUniqueViolation } from '../../platform/db/errors';
import { hashToken, newToken } from '../../platform/auth/secrets';
import { AppError, notFound } from '../../platform/errors';
import type { Actor, Principal } from '../../platform/auth/principal';
import { inTransaction, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Page } from '../../platform/http/pagination';
import type { CommerceDeps } from './commerce';
import { fulfilmentFromRow, findFulfilmentRows, type Fulfilment } from './fulfilment.repository';
import { cancelOrder, editOrder, type EditOrderInput } from './order.edit';
import { prepareOrder, type CreateOrderInput, type PreparedOrder } from './order.prepare';
import {
  findEditRows,
  findLineRows,
  findOrderRow,
  findOrderRowByExternalId,
  lineFromRow,
  listOrderRows,
  orderFromRow,
  type Money,
  type Order,
  type OrderFilter,
  type OrderLine,
} from './order.repository';
import { orderStats, type OrderStats, type OrderStatsQuery } from './order.stats';
import { coverageMoves, followFulfilments } from './order.status';
import { confirmAll, fulfilAll, releaseAll, reserveMissing } from './order.stock';
import { createOrder, emitOrderEvent } from './order.write';

/** What the payments service reports for an order (contract: `payments.totals(db|trx, order_id)`), minor units. */
export interface PaymentTotals {
  authorized: number;
  captured: number;
  refunded: number;
}

/** The pricing engine over order lines (`priceCart`-like): prices in the order's currency, minor units. */
export type RepriceLines = (
  order: { channel_id: string; customer_id: string | null; currency: string },
  lines: Array<{ sku: string; quantity: number; mode: string; location_id: string }>,
) => Promise<Array<{ unit_price: number; discount: number; tax: number; total: number }>>;

export interface OrderHooks {
  paymentTotals: (db: DbOrTrx, orderId: string) => Promise<PaymentTotals>;
  /** After a cancellation committed: void authorizations and refund captures (payments engineer). */
  reversePayments: (orderId: string, actor: Actor) => Promise<void>;
  /** Null: edits keep the prices the caller gives. */
  reprice: RepriceLines | null;
}

export interface OrderDetail extends Order {
  lines: OrderLine[];
  fulfilments: Fulfilment[];
  payments: { authorized: Money; captured: Money; refunded: Money; balance_due: Money };
  edits: Array<{
    id: string;
    previous_total: Money;
    new_total: Money;
    balance_due: Money;
    created_at: string;
  }>;
}

export type OrdersDeps = Pick<
  CommerceDeps,
  'db' | 'events' | 'channels' | 'customers' | 'catalog' | 'locations' | 'reservations'
> & {
  /** Resolves an `X-Customer-Token` for the store order page (the self-service tokens' authenticate). */
  customerToken?: ((token: string) => Promise<Principal | null>) | undefined;
} & OrderHooks;

export function createOrdersService(deps: OrdersDeps) {
  const { db, events, reservations } = deps;
  const hooks: OrderHooks = {
    paymentTotals: deps.paymentTotals,
    reversePayments: deps.reversePayments,
    reprice: deps.reprice,
  };

  async function retrieveOrder(id: string, on: DbOrTrx = db): Promise<OrderDetail> {
    const row = await findOrderRow(on, id);
    if (!row) throw notFound('order', id);
    const order = orderFromRow(row);
    const c = order.currency;
    const m = (amount: number): Money => ({ amount, currency: c });
    const paid = await hooks.paymentTotals(on, id);
    return {
      ...order,
      lines: (await findLineRows(on, id)).map((l) => lineFromRow(l, c)),
      fulfilments: (await findFulfilmentRows(on, id)).map(fulfilmentFromRow),
      payments: {
        authorized: m(paid.authorized),
        captured: m(paid.captured),
        refunded: m(paid.refunded),
        // What is still owed: refunds (returns, goodwill) give money back, they are not a debt of the customer.
        balance_due: m(Math.max(0, order.totals.total.amount - paid.captured)),
      },
      edits: (await findEditRows(on, id)).map((e) => ({
        id: e.id,
        previous_total: m(Number(e.previous_total)),
        new_total: m(Number(e.new_total)),
        balance_due: m(Number(e.balance_due)),
        created_at: new Date(Number(e.created_at)).toISOString(),
      })),
    };
  }

  /**
   * The whole flow for an order that is not part of a larger workflow (phone, chat, marketplace, POS): check,
   * reserve what is not reserved yet, confirm, write — and undo the reservations it made if writing fails.
   */
  async function placeOrder(
    input: CreateOrderInput,
    actor: Actor,
  ): Promise<{ order: OrderDetail; access_secret: string; created: boolean }> {
    const prepared = await prepareOrder(deps, input);
    const id = newId('ord');
    const { lines, created } = await reserveMissing(
      reservations,
      prepared.channel_id,
      id,
      prepared.lines,
      actor,
    );
    const secret = newToken('ordsec_');
    try {
      const all = lines.flatMap((l) => l.reservation_ids);
      await confirmAll(reservations, all, actor);
      await inTransaction(db, (trx) =>
        createOrder(trx, events, { ...prepared, lines }, actor, { id, accessSecretHash: hashToken(secret) }),
      );
    } catch (err) {
      await releaseAll(reservations, created, actor, 'order not placed');
      const existing =
        prepared.external_id && isUniqueViolation(err)
          ? await findOrderRowByExternalId(db, prepared.channel_id, prepared.external_id)
          : undefined;
      // A concurrent import of the same marketplace order won: this one is that order.
      if (existing) return { order: await retrieveOrder(existing.id), access_secret: '', created: false };
      throw err;
    }
    return { order: await retrieveOrder(id), access_secret: secret, created: true };
  }

  return {
    /** Checks an order against the other modules; run it before the transaction that calls `createOrder`. */
    prepareOrder: (input: CreateOrderInput) => prepareOrder(deps, input),

    /**
     * Writes a prepared order in the caller's transaction (checkout, POS). Every line must carry its reservations;
     * confirm them with `confirmStock` once the transaction committed. Returns the order's status page secret
     * (shown once).
     * @example const prepared = await orders.prepareOrder(input);
     *   const placed = await inTransaction(db, (trx) => orders.createOrder(trx, prepared, actor));
     *   await orders.confirmStock(placed.id, actor);
     */
    async createOrder(trx: Trx, prepared: PreparedOrder, actor: Actor) {
      const bare = prepared.lines.findIndex((l) => l.reservation_ids.length === 0);
      if (bare >= 0)
        throw new AppError('validation_failed', 'Every line of a checkout order must hold reservations.', {
          errors: [{ field: `body.lines.${bare}.reservation_ids`, message: 'must not be empty' }],
        });
      const id = newId('ord');
      const secret = newToken('ordsec_');
      const placed = await createOrder(trx, events, prepared, actor, {
        id,
        accessSecretHash: hashToken(secret),
      });
      return { ...placed, access_secret: secret };
    },

    /** Confirms the reservations of a placed order's lines (they no longer expire). */
    async confirmStock(orderId: string, actor: Actor): Promise<void> {
      const lines = await findLineRows(db, orderId);
      await confirmAll(
        reservations,
        lines.flatMap((l) => lineFromRow(l, '').reservation_ids),
        actor,
      );
    },

    placeOrder,

    /**
     * Imports a marketplace order, paid by the marketplace. The same external id on the same channel is the
     * same order: a second import returns the first (`created: false`), even when both arrive at once.
     */
    async importOrder(
      input: Omit<CreateOrderInput, 'source' | 'paid_externally'> & { external_id: string },
      actor: Actor,
    ) {
      const existing = await findOrderRowByExternalId(db, input.channel_id, input.external_id);
      if (existing) return { order: await retrieveOrder(existing.id), access_secret: '', created: false };
      return placeOrder({ ...input, source: 'marketplace', paid_externally: true }, actor);
    },

    retrieveOrder: (id: string) => retrieveOrder(id),

    listOrders: (filter: OrderFilter): Promise<Page<Order>> => listOrderRows(db, filter),
    /** Orders per local day of a time zone: count, revenue per currency, orders per channel (order.stats.ts). */
    orderStats: (query: OrderStatsQuery): Promise<OrderStats> => orderStats(db, query),

    /**
     * The order status page: the customer's own order (customer token) or anyone holding the order's secret.
     * Unknown order and wrong credential answer the same 404, so ids cannot be probed.
     */
    async retrieveOrderForCustomer(id: string, proof: { customerToken?: string; secret?: string }) {
      const row = await findOrderRow(db, id);
      let allowed = false;
      if (row && proof.secret) allowed = hashToken(proof.secret) === row.access_secret_hash;
      if (row && !allowed && proof.customerToken && deps.customerToken) {
        const principal = await deps.customerToken(proof.customerToken);
        allowed = principal?.kind === 'customer' && principal.customerId === row.customer_id;
      }
      if (!row || !allowed) throw notFound('order', id);
      return retrieveOrder(id);
    },

    cancelOrder: (id: string, actor: Actor, reason?: string) =>
      cancelOrder({ ...deps, hooks }, id, actor, reason ?? 'cancelled'),

    editOrder: (id: string, input: EditOrderInput, actor: Actor) =>
      editOrder({ ...deps, hooks, retrieveOrder }, id, input, actor),

    /**
     * Contract with payments: called in the payment's transaction whenever a payment of the order changed.
     * Moves pending_payment → paid when payments cover the total (captured, or authorized under `on_fulfilment`)
     * and back when an edit raised the total above them.
     */
    async syncPaymentState(
      trx: Trx,
      orderId: string,
      actor: Actor = { type: 'system', id: null, label: 'payments' },
    ) {
      const row = await findOrderRow(trx, orderId);
      if (!row) throw notFound('order', orderId);
      await coverageMoves(trx, events, row, await hooks.paymentTotals(trx, orderId), actor);
    },

    /** The currency of an order, or null when there is no such order (payments check it before money moves). */
    async currencyOf(id: string): Promise<string | null> {
      return (await findOrderRow(db, id))?.currency ?? null;
    },

    /** The order's status follows its fulfilments (the fulfilment service calls this in its transaction). */
    followFulfilments: (trx: Trx, orderId: string, actor: Actor) =>
      followFulfilments(trx, events, orderId, actor),

    /** For the fulfilment service: the order's lines and stock steps. */
    internals: { fulfilAll, releaseAll, emitOrderEvent, hooks },
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
