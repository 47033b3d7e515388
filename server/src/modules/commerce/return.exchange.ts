/**
 * @module Exchanges: return lines swapped for another variant (another size, another colour). The replacement is
 * an order placed through the orders service — which reserves the new item — and it is paid with the value of the
 * returned lines, carried as store credit (credited, then spent by a store_credit tender, so the ledger shows
 * both), plus what the customer adds through other tenders when the new item costs more. When it costs less, the
 * difference stays on the return and is refunded like any return (original payment or store credit).
 *
 * The new items are priced by `priceCart`, as every channel prices a cart: in the channel of the store doing the
 * exchange (where the return was received, else where the replacement is handed over; a warehouse has none, so
 * then the order's channel), for the customer (their price lists and automatic promotions). Lines handed over are
 * priced as a pickup at that store (its tax); lines sent by post as goods only — an exchange ships free. A client
 * may still send `unit_price`, but only to confirm what it showed: a different amount is refused naming the line.
 *
 * A take-now (`handover`) line is handed over by the exchange itself once it is settled, as a POS sale hands over
 * its lines: the customer walks out with it, so it never waits on the counter as a reservation.
 */
import { sql } from 'kysely';
import type { CatalogService } from '../catalog';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import { encodeBool } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Cart, CartAddress, CartLine } from './cart.repository';
import type { FulfilmentsService } from './fulfilment.service';
import type { OrdersService } from './order.service';
import type { Money, orderedDeliveryModes } from './order.repository';
import type { PaymentsService } from './payment.service';
import { payTenders, type TenderInput } from './payment.tender';
import type { Pricing } from './pricing';
import type { StoreCreditService } from './store-credit.service';
import type { ReturnDetail, ReturnsCore } from './return.service';

/** The delivery modes a replacement line may take (an order's; a reservation to try has its own flow). */
type ExchangeDeliveryMode = (typeof orderedDeliveryModes)[number];

export interface ExchangeInput {
  lines: Array<{
    return_line_id: string;
    sku: string;
    /** Default: the returned quantity. */
    quantity?: number | undefined;
    /** Optional: what the till showed, in minor units; refused when it is not the price priceCart gives now. */
    unit_price?: number | undefined;
    delivery: { mode: ExchangeDeliveryMode; location_id: string };
  }>;
  /** Where shipped replacements go. Default: the original order's shipping address. */
  shipping_address?: CartAddress | undefined;
  /** What the customer pays on top when the replacement costs more than the returned lines. */
  tenders?: TenderInput[] | undefined;
}

/** What `previewExchange` answers: the exchange as it would be made now, nothing claimed, reserved or charged. */
export interface ExchangePreview {
  return_id: string;
  /** Where the replacement would be priced and placed. */
  channel_id: string;
  lines: Array<{
    return_line_id: string;
    returned_sku: string;
    returned_value: Money;
    sku: string;
    quantity: number;
    unit_price: Money;
    discount: Money;
    tax: Money;
    total: Money;
    delivery: { mode: ExchangeDeliveryMode; location_id: string };
  }>;
  /** The returned lines' value, carried as store credit. */
  returned_value: Money;
  replacement_total: Money;
  /** The part of the replacement the returned value pays. */
  covered_by_return: Money;
  /** What the customer adds: the exchange's tenders must add up to it. */
  to_pay: Money;
  /** What the returned value leaves over: it stays on the return and is refunded by /refund. */
  to_refund: Money;
}

export function createReturnExchanges(deps: {
  db: Db;
  core: ReturnsCore;
  orders: OrdersService;
  payments: PaymentsService;
  storeCredit: StoreCreditService;
  pricing: Pricing;
  catalog: CatalogService;
  /** Take-now lines leave over the counter with the exchange, as a POS sale hands over its lines. */
  fulfilments: Pick<FulfilmentsService, 'advance'>;
}) {
  const { db, core, orders } = deps;
  const refused = (message: string, field: string) =>
    new AppError('unprocessable', message, { errors: [{ field, message }] });

  /**
   * The replacement lines priced by priceCart in `channelId` for the customer, in the cart's line order. A SKU
   * without a price there, a currency other than the return's, or a client `unit_price` that disagrees → 422
   * naming the line's field; nothing is written before this.
   */
  async function priceLines(
    channelId: string,
    customerId: string,
    currency: string,
    lines: Array<ExchangeInput['lines'][number] & { line: { quantity: number } }>,
    shippingAddress: CartAddress | null,
  ) {
    const variants = new Map(
      (await deps.catalog.variants.retrieveVariantsBySku(lines.map((l) => l.sku))).map((v) => [v.sku, v]),
    );
    const now = new Date().toISOString();
    const cartId = newId('exc');
    const cartLines: CartLine[] = lines.map((l, i) => {
      const variant = variants.get(l.sku);
      if (!variant) throw refused('Not a known SKU.', `body.lines.${i}.sku`);
      const counter = l.delivery.mode === 'handover' || l.delivery.mode === 'pickup';
      return {
        id: `${cartId}-${i}`,
        variant_id: variant.id,
        sku: variant.sku,
        quantity: l.quantity ?? l.line.quantity,
        // Handed over at a store: priced as a pickup there (its tax); sent: goods only (an exchange ships free).
        delivery_mode: counter ? 'pickup' : 'ship',
        location_id: counter ? l.delivery.location_id : null,
        created_at: now,
        updated_at: now,
      };
    });
    // A cart only this exchange sees: never stored, priced exactly as any channel prices a cart.
    const cart: Cart = {
      id: cartId,
      status: 'open',
      currency,
      channel_id: channelId,
      last_channel_id: channelId,
      channel_ids: [channelId],
      customer_id: customerId,
      anonymous_id: null,
      email: null,
      shipping_address: shippingAddress,
      shipping_method: 'standard',
      promotion_codes: [],
      merged_into: null,
      lines: cartLines,
      created_at: now,
      updated_at: now,
    };
    const pricing = await deps.pricing.priceCart(cart, { channelId }).catch((err: unknown) => {
      // A pickup line's store is read for its tax address: an unknown one is the client's mistake.
      if (err instanceof AppError && err.code === 'not_found') {
        const i = cartLines.findIndex((l) => l.location_id !== null);
        throw refused('Not a known location.', `body.lines.${Math.max(i, 0)}.delivery.location_id`);
      }
      throw err;
    });
    if (pricing.currency !== currency)
      throw refused(
        `This store sells in ${pricing.currency}; the return is in ${currency}.`,
        'body.lines.0.delivery.location_id',
      );
    return cartLines.map((cl, i) => {
      const p = pricing.lines.find((x) => x.id === cl.id);
      if (!p) throw refused(`${cl.sku} has no price in ${currency} in this channel.`, `body.lines.${i}.sku`);
      const sent = lines[i]!.unit_price;
      if (sent !== undefined && sent !== p.unit_price.amount)
        throw refused(
          `${cl.sku} costs ${p.unit_price.amount} here now, not ${sent}.`,
          `body.lines.${i}.unit_price`,
        );
      return p;
    });
  }

  /**
   * Where a shipped replacement goes: the address the exchange names, else the one the original order shipped to.
   * Neither (an order bought in a store) → 422 naming `body.shipping_address`, before anything is written.
   */
  async function shippingAddressFor(orderId: string, given: CartAddress | undefined): Promise<CartAddress> {
    if (given) return given;
    const address = (await orders.retrieveOrder(orderId)).shipping_address;
    const complete = (a: Record<string, unknown> | null): a is Record<string, unknown> & CartAddress =>
      !!a &&
      ['line1', 'postal_code', 'city', 'country'].every((k) => typeof a[k] === 'string' && a[k] !== '');
    if (!complete(address))
      throw refused(
        'A replacement sent by post needs a shipping address, and the original order has none.',
        'body.shipping_address',
      );
    return address;
  }

  /**
   * Everything an exchange decides before it writes: the return may still be exchanged, the lines are its own and
   * not yet exchanged, the replacement priced (priceLines) and checked as an order (prepareOrder), and how the
   * returned value splits — what it covers, what the customer adds, what stays owed back. The preview answers
   * this; the exchange carries it out. Throws the same 409/422 either way.
   */
  async function planExchange(id: string, input: Pick<ExchangeInput, 'lines' | 'shipping_address'>) {
    const ret = await core.retrieveReturn(id);
    if (!['requested', 'received', 'inspected'].includes(ret.status) || ret.exchange_order_id)
      throw new AppError('conflict', `This return can no longer be exchanged (${ret.status}).`, {
        errors: [{ field: 'params.id', message: `is ${ret.status}` }],
      });
    if (!ret.customer_id)
      throw refused('An exchange carries the value as store credit, which needs the customer.', 'params.id');
    const customerId = ret.customer_id;
    const chosen = new Set<string>();
    const lines = input.lines.map((l, i) => {
      const line = ret.lines.find((r) => r.id === l.return_line_id);
      if (!line) throw refused('Not a line of this return.', `body.lines.${i}.return_line_id`);
      if (line.exchanged) throw refused('This line is already exchanged.', `body.lines.${i}.return_line_id`);
      // Its value is carried once: the same returned line twice would count it twice.
      if (chosen.has(line.id)) throw refused('This line is named twice.', `body.lines.${i}.return_line_id`);
      chosen.add(line.id);
      return { ...l, line };
    });
    const credit = lines.reduce((n, l) => n + l.line.amount.amount, 0);
    const counter = lines.find((l) => l.delivery.mode === 'handover' || l.delivery.mode === 'pickup');
    const channelId =
      (await core.channelAt(ret.location_id)) ??
      (await core.channelAt(counter?.delivery.location_id)) ??
      ret.channel_id;
    const currency = ret.refund_total.currency;
    const shippingAddress = lines.some((l) => l.delivery.mode === 'ship')
      ? await shippingAddressFor(ret.order_id, input.shipping_address)
      : null;
    const priced = await priceLines(channelId, customerId, currency, lines, shippingAddress);
    const orderInput = {
      channel_id: channelId,
      customer_id: customerId,
      // At the counter the replacement is a sale; sent by post it is an order taken by staff.
      source: counter ? ('pos' as const) : ('phone' as const),
      currency,
      ...(shippingAddress ? { shipping_address: { ...shippingAddress } } : {}),
      lines: lines.map((l, i) => ({
        sku: l.sku,
        quantity: l.quantity ?? l.line.quantity,
        unit_price: priced[i]!.unit_price.amount,
        discount: priced[i]!.discount.amount,
        tax: priced[i]!.tax.amount,
        total: priced[i]!.total.amount,
        delivery: l.delivery,
      })),
    };
    const prepared = await orders.prepareOrder(orderInput);
    const total = prepared.totals.total;
    const fromCredit = Math.min(credit, total);
    return { customerId, currency, lines, credit, channelId, priced, orderInput, total, fromCredit };
  }

  return {
    /**
     * What an exchange of these lines would be, changing nothing: the replacement lines priced as the exchange
     * prices them, the returned value, the replacement's total, and the difference — to pay on top (`to_pay`,
     * which the exchange's tenders must add up to) or left on the return to refund (`to_refund`). Same refusals
     * as the exchange itself (a SKU without a price here → 422 naming `body.lines.N.sku`).
     * @example (await exchanges.previewExchange('ret_…', { lines: [{ return_line_id, sku: 'TEE-L', delivery }] })).to_pay
     */
    async previewExchange(
      id: string,
      input: Pick<ExchangeInput, 'lines' | 'shipping_address'>,
    ): Promise<ExchangePreview> {
      const plan = await planExchange(id, input);
      const money = (amount: number) => ({ amount, currency: plan.currency });
      return {
        return_id: id,
        channel_id: plan.channelId,
        lines: plan.lines.map((l, i) => ({
          return_line_id: l.line.id,
          returned_sku: l.line.sku,
          returned_value: l.line.amount,
          sku: l.sku,
          quantity: plan.orderInput.lines[i]!.quantity,
          unit_price: plan.priced[i]!.unit_price,
          discount: plan.priced[i]!.discount,
          tax: plan.priced[i]!.tax,
          total: plan.priced[i]!.total,
          delivery: l.delivery,
        })),
        returned_value: money(plan.credit),
        replacement_total: money(plan.total),
        covered_by_return: money(plan.fromCredit),
        to_pay: money(plan.total - plan.fromCredit),
        to_refund: money(plan.credit - plan.fromCredit),
      };
    },

    /**
     * Exchanges lines of an open return for new items; answers the return with `exchange_order_id`.
     * @example await exchanges.exchangeReturn('ret_…', { lines: [{ return_line_id, sku: 'TEE-L', delivery: { mode: 'handover', location_id } }] }, actor)
     */
    async exchangeReturn(id: string, input: ExchangeInput, actor: Actor): Promise<ReturnDetail> {
      const plan = await planExchange(id, input);
      const { lines, credit, channelId, orderInput, total, fromCredit, currency } = plan;
      const customer = plan.customerId;
      const tenders = input.tenders ?? [];
      const extra = tenders.reduce((n, t) => n + t.amount, 0);
      if (extra !== total - fromCredit)
        throw refused(
          `The replacement costs ${total}; the returned lines are worth ${credit}: the tenders must add up to ${total - fromCredit}.`,
          'body.tenders',
        );

      // Claim the lines and the credit on the return first: a second exchange of them finds nothing to take.
      await inTransaction(db, async (trx) => {
        const marked = await trx
          .updateTable('return_lines')
          .set({ exchanged: encodeBool(true) })
          .where('return_id', '=', id)
          .where(
            'id',
            'in',
            lines.map((l) => l.line.id),
          )
          .where('exchanged', '=', encodeBool(false))
          .executeTakeFirst();
        const taken = await trx
          .updateTable('returns')
          .set({ refund_total: sql`refund_total - ${fromCredit}`, updated_at: Date.now() })
          .where('id', '=', id)
          .where('status', 'in', ['requested', 'received', 'inspected'])
          .where('exchange_order_id', 'is', null)
          .executeTakeFirst();
        if (Number(marked.numUpdatedRows) !== lines.length || Number(taken.numUpdatedRows) !== 1)
          throw new AppError('conflict', 'The return changed meanwhile; look at it again.');
      });
      const undoClaim = () =>
        inTransaction(db, async (trx) => {
          await trx
            .updateTable('return_lines')
            .set({ exchanged: encodeBool(false) })
            .where(
              'id',
              'in',
              lines.map((l) => l.line.id),
            )
            .execute();
          await trx
            .updateTable('returns')
            .set({ refund_total: sql`refund_total + ${fromCredit}`, updated_at: Date.now() })
            .where('id', '=', id)
            .execute();
        });

      let placed;
      try {
        placed = await orders.placeOrder(orderInput, actor);
      } catch (err) {
        await undoClaim();
        throw err;
      }
      const orderId = placed.order.id;
      try {
        if (fromCredit > 0)
          await deps.storeCredit.credit(
            db,
            {
              customer_id: customer,
              amount: { amount: fromCredit, currency },
              reason: `exchange of return ${id}`,
              reference: { type: 'return', id },
            },
            actor,
          );
        try {
          await payTenders(
            deps.payments,
            {
              channel_id: channelId,
              order_id: orderId,
              customer_id: customer,
              amount_due: { amount: total, currency },
              tenders: [
                ...(fromCredit > 0 ? [{ provider: 'store_credit', amount: fromCredit }] : []),
                ...tenders,
              ],
            },
            actor,
          );
        } catch (err) {
          // The tenders were undone; take back the credit this exchange gave.
          if (fromCredit > 0)
            await inTransaction(db, (trx) =>
              deps.storeCredit.debit(
                trx,
                {
                  customer_id: customer,
                  amount: { amount: fromCredit, currency },
                  reason: `exchange of return ${id} failed`,
                },
                actor,
              ),
            );
          throw err;
        }
      } catch (err) {
        await orders.cancelOrder(orderId, actor, `exchange of return ${id} not settled`);
        await undoClaim();
        throw err;
      }
      await inTransaction(db, async (trx) => {
        // Only the link is set: the return keeps whatever status it reached meanwhile.
        const row = await trx
          .updateTable('returns')
          .set({ exchange_order_id: orderId, updated_at: Date.now() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await core.emit(
          trx,
          'exchange.created',
          row,
          actor,
          {
            exchange_order_id: orderId,
            return_line_ids: lines.map((l) => l.line.id),
            credit: { amount: fromCredit, currency },
            paid_more: { amount: extra, currency },
            owed_back: { amount: credit - fromCredit, currency },
          },
          // Where the exchange was made: the store's channel, as the replacement order's.
          channelId,
        );
      });
      // The customer takes the take-now lines with them, as at a POS sale: each handover fulfilment is handed
      // over now, so its reservations become sales in the ledger and the order shows them gone. Done after the
      // exchange is settled and linked: a handover is never undone, so nothing before it may still fail.
      const placedOrder = await orders.retrieveOrder(orderId);
      for (const f of placedOrder.fulfilments.filter((f) => f.mode === 'handover'))
        await deps.fulfilments.advance(f.id, 'hand_over', actor);
      return core.retrieveReturn(id);
    },
  };
}

export type ReturnExchanges = ReturnType<typeof createReturnExchanges>;
