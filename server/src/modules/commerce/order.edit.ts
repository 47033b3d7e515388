/**
 * @module Changing a placed order: cancelling it (its reservations are released and payments asked to void or
 * refund) and editing its lines before any fulfilment step (re-priced by the pricing engine when one is connected;
 * the payment difference is recorded). Stock moves first where it can be undone, the order's own change is one
 * transaction, and freeing stock comes last.
 */
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import { closedStatuses, doneStatuses, type FulfilmentStatus } from './fulfilment.repository';
import { invalid, prepareLines, totalsOf, type CreateOrderLineInput } from './order.prepare';
import { findLineRows, findOrderRow, lineFromRow, moveOrder, type OrderStatus } from './order.repository';
import type { OrderDetail, OrderHooks, OrdersDeps } from './order.service';
import { coverageMoves } from './order.status';
import { confirmAll, releaseAll, reserveMissing } from './order.stock';
import { emitOrderEvent, writeLines } from './order.write';

export interface EditOrderInput {
  lines: CreateOrderLineInput[];
  shipping?: number | undefined;
}

type Ctx = OrdersDeps & { hooks: OrderHooks };

const conflict = (message: string, field = 'params.id') =>
  new AppError('conflict', message, { errors: [{ field, message }] });

async function fulfilmentStatuses(trx: Trx, orderId: string): Promise<FulfilmentStatus[]> {
  const rows = await trx.selectFrom('fulfilments').select('status').where('order_id', '=', orderId).execute();
  return rows.map((r) => r.status as FulfilmentStatus);
}

/**
 * Cancels an order nothing of which has reached the customer. A completed or partly fulfilled order is refused
 * (409): that is a return.
 */
export async function cancelOrder(ctx: Ctx, id: string, actor: Actor, reason: string): Promise<void> {
  const row = await findOrderRow(ctx.db, id);
  if (!row) throw notFound('order', id);
  const cancellable: OrderStatus[] = ['pending_payment', 'paid', 'fulfilling'];
  if (!cancellable.includes(row.status as OrderStatus))
    throw conflict(
      row.status === 'cancelled'
        ? 'is already cancelled'
        : `is ${row.status.replace('_', ' ')}: goods reached the customer, take a return instead`,
    );
  await inTransaction(ctx.db, async (trx) => {
    const now = Date.now();
    const moved = await moveOrder(trx, id, cancellable, 'cancelled', { cancelled_at: now });
    if (!moved) throw conflict('changed meanwhile: it can no longer be cancelled');
    // A fulfilment finished meanwhile (its goods left): this transaction rolls back whole.
    if ((await fulfilmentStatuses(trx, id)).some((s) => doneStatuses.includes(s)))
      throw conflict('has goods that already left: take a return instead');
    await trx
      .updateTable('fulfilments')
      .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
      .where('order_id', '=', id)
      .where('status', 'not in', closedStatuses)
      .execute();
    await emitOrderEvent(trx, ctx.events, 'order.cancelled', moved, actor, {
      number: Number(moved.number),
      reason,
    });
  });
  const lines = await findLineRows(ctx.db, id);
  await releaseAll(
    ctx.reservations,
    lines.flatMap((l) => lineFromRow(l, row.currency).reservation_ids),
    actor,
    'order cancelled',
  );
  await ctx.hooks.reversePayments(id, actor);
}

/**
 * Replaces the lines of an order before any fulfilment step. Lines that keep their SKU, location and quantity
 * keep their reservations; new ones are reserved before anything changes (refused: nothing changed), the old
 * ones freed after.
 */
export async function editOrder(
  ctx: Ctx & { retrieveOrder: (id: string) => Promise<OrderDetail> },
  id: string,
  input: EditOrderInput,
  actor: Actor,
): Promise<OrderDetail> {
  const row = await findOrderRow(ctx.db, id);
  if (!row) throw notFound('order', id);
  const editable: OrderStatus[] = ['pending_payment', 'paid'];
  if (!editable.includes(row.status as OrderStatus))
    throw conflict(`is ${row.status.replace('_', ' ')}: only orders not yet in fulfilment can be edited`);
  const { lines: prepared, errors } = await prepareLines(ctx, row.channel_id, input.lines);
  if (input.lines.length === 0) errors.push({ field: 'body.lines', message: 'must not be empty' });
  if (row.source !== 'pos' && input.lines.some((l) => l.delivery.mode === 'handover'))
    errors.push({ field: 'body.lines', message: 'handover (taken at the till) is for POS sales only' });
  if (errors.length > 0) throw invalid(errors);
  let lines = prepared;
  if (ctx.hooks.reprice) {
    const prices = await ctx.hooks.reprice(
      { channel_id: row.channel_id, customer_id: row.customer_id, currency: row.currency },
      lines.map((l) => ({ sku: l.sku, quantity: l.quantity, mode: l.mode, location_id: l.location_id })),
    );
    lines = lines.map((l, i) => ({ ...l, ...prices[i]! }));
  }
  const old = (await findLineRows(ctx.db, id)).map((l) => lineFromRow(l, row.currency));
  const unused = new Set(old.map((l) => l.id));
  lines = lines.map((l) => {
    if (l.reservation_ids.length > 0) return l;
    const same = old.find(
      (o) =>
        unused.has(o.id) &&
        o.sku === l.sku &&
        o.delivery.location_id === l.location_id &&
        o.quantity === l.quantity,
    );
    if (!same) return l;
    unused.delete(same.id);
    return { ...l, reservation_ids: same.reservation_ids };
  });
  const reserved = await reserveMissing(
    ctx.reservations,
    row.channel_id,
    id,
    lines,
    actor,
    `e${Date.now()}:`,
  );
  const kept = new Set(reserved.lines.flatMap((l) => l.reservation_ids));
  const freed = old.flatMap((l) => l.reservation_ids).filter((r) => !kept.has(r));
  const shipping = input.shipping ?? Number(row.shipping_total);
  const totals = totalsOf(reserved.lines, shipping);
  try {
    await confirmAll(ctx.reservations, reserved.created, actor);
    await inTransaction(ctx.db, async (trx) => {
      const now = Date.now();
      const updated = await trx
        .updateTable('orders')
        .set({
          subtotal: totals.subtotal,
          discount_total: totals.discount,
          shipping_total: totals.shipping,
          tax_total: totals.tax,
          total: totals.total,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('status', 'in', editable)
        .returningAll()
        .executeTakeFirst();
      if (!updated || (await fulfilmentStatuses(trx, id)).some((s) => s !== 'pending'))
        throw conflict('changed meanwhile: fulfilment started, it can no longer be edited');
      await trx
        .updateTable('fulfilments')
        .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
        .where('order_id', '=', id)
        .execute();
      await trx.deleteFrom('order_lines').where('order_id', '=', id).execute();
      await writeLines(trx, ctx.events, updated, reserved.lines, actor, now);
      const paid = await ctx.hooks.paymentTotals(trx, id);
      const balanceDue = totals.total - (paid.captured - paid.refunded);
      await trx
        .insertInto('order_edits')
        .values({
          id: newId('oed'),
          order_id: id,
          previous_total: Number(row.total),
          new_total: totals.total,
          balance_due: balanceDue,
          actor_type: actor.type,
          actor_id: actor.id,
          created_at: now,
        })
        .execute();
      const money = (amount: number) => ({ amount, currency: row.currency });
      await emitOrderEvent(trx, ctx.events, 'order.edited', updated, actor, {
        number: Number(row.number),
        previous_total: money(Number(row.total)),
        new_total: money(totals.total),
        balance_due: money(balanceDue),
      });
      await coverageMoves(trx, ctx.events, updated, paid, actor);
    });
  } catch (err) {
    await releaseAll(ctx.reservations, reserved.created, actor, 'order edit not applied');
    throw err;
  }
  await releaseAll(ctx.reservations, freed, actor, 'order edited');
  return ctx.retrieveOrder(id);
}
