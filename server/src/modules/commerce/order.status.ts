/**
 * @module How an order's status follows its payments and its fulfilments. Payment: pending_payment ⇄ paid by
 * coverage of the total. Fulfilment (once paid): paid → fulfilling (a step started) → partially_fulfilled (some
 * goods reached the customer) → completed (every fulfilment closed, some delivered); an order whose fulfilments
 * all expired or were cancelled without delivering anything is cancelled. Every move is a conditional update.
 */
import type { Selectable } from 'kysely';
import type { Actor } from '../../platform/auth/principal';
import type { Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { closedStatuses, doneStatuses, type FulfilmentStatus } from './fulfilment.repository';
import { findOrderRow, moveOrder, type OrderStatus } from './order.repository';
import type { OrderRow } from './order.table';
import { emitOrderEvent } from './order.write';

const following: OrderStatus[] = ['paid', 'fulfilling', 'partially_fulfilled'];

/** Amount the payments cover under the order's capture policy, minor units. */
export function covered(
  policy: string,
  totals: { authorized: number; captured: number; refunded: number },
): number {
  // Refunds do not count against it: a goodwill refund or a returned item gives money back on an order that was
  // paid, it does not make the order unpaid again (and so block its fulfilment). Only a higher total (an edit) does.
  return policy === 'on_fulfilment' ? Math.max(totals.authorized, totals.captured) : totals.captured;
}

export async function coverageMoves(
  trx: Trx,
  events: EventBus,
  row: Selectable<OrderRow>,
  totals: { authorized: number; captured: number; refunded: number },
  actor: Actor,
): Promise<OrderStatus> {
  const enough = covered(row.capture_policy, totals) >= Number(row.total);
  const ref = { id: row.id, customer_id: row.customer_id, channel_id: row.channel_id };
  if (enough && row.status === 'pending_payment') {
    const moved = await moveOrder(trx, row.id, ['pending_payment'], 'paid', { paid_at: Date.now() });
    if (!moved) return row.status as OrderStatus;
    await emitOrderEvent(trx, events, 'order.paid', ref, actor, {
      number: Number(row.number),
      total: { amount: Number(row.total), currency: row.currency },
      captured: { amount: totals.captured, currency: row.currency },
    });
    // Goods may have left already (a POS handover before the tender settled).
    return followFulfilments(trx, events, row.id, actor);
  }
  if (!enough && row.status === 'paid') {
    // An edit raised the total above what was paid: the difference is due before fulfilment.
    const moved = await moveOrder(trx, row.id, ['paid'], 'pending_payment');
    return (moved?.status as OrderStatus | undefined) ?? (row.status as OrderStatus);
  }
  return row.status as OrderStatus;
}

/** Recomputes a paid order's status from its fulfilments; returns the status after. */
export async function followFulfilments(
  trx: Trx,
  events: EventBus,
  orderId: string,
  actor: Actor,
): Promise<OrderStatus> {
  const order = await findOrderRow(trx, orderId);
  if (!order) return 'cancelled';
  const status = order.status as OrderStatus;
  if (!following.includes(status)) return status;
  const rows = await trx.selectFrom('fulfilments').select('status').where('order_id', '=', orderId).execute();
  const statuses = rows.map((r) => r.status as FulfilmentStatus);
  const done = statuses.filter((s) => doneStatuses.includes(s)).length;
  const open = statuses.filter((s) => !closedStatuses.includes(s)).length;
  const started = statuses.some((s) => s !== 'pending' && !closedStatuses.includes(s));
  const now = Date.now();
  let next: OrderStatus;
  if (statuses.length > 0 && open === 0) next = done > 0 ? 'completed' : 'cancelled';
  else if (done > 0) next = 'partially_fulfilled';
  else next = started ? 'fulfilling' : 'paid';
  if (next === status) return status;
  const moved = await moveOrder(
    trx,
    orderId,
    [status],
    next,
    next === 'completed' ? { completed_at: now } : next === 'cancelled' ? { cancelled_at: now } : {},
  );
  if (!moved) return status;
  if (next === 'cancelled')
    await emitOrderEvent(
      trx,
      events,
      'order.cancelled',
      { id: orderId, customer_id: order.customer_id, channel_id: order.channel_id },
      actor,
      { number: Number(order.number), reason: 'nothing_fulfilled' },
    );
  return next;
}
