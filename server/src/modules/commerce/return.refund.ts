/**
 * @module Refunding an inspected return: to the original payments (newest tender first, or as the associate
 * chooses) through the payments service — which never gives back more than a payment captured minus refunded —
 * or to store credit, in the same transaction as the return's completion. The return is claimed first (inspected →
 * refunding), so two refund clicks cannot both pay out; a payment refund that fails leaves what already succeeded
 * recorded and the return inspected again, so a retry gives back only the rest. Each payment refunds a return
 * under the return's key (`return:ret_…`, unique per payment): a retry after a crash — a claim left `refunding`
 * longer than REFUND_CLAIM_STALE_MS — counts what the payments already gave back under that key and never
 * refunds a payment twice for the same return.
 */
import { sql } from 'kysely';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import { inTransaction } from '../../platform/db/transaction';
import type { PaymentsService } from './payment.service';
import type { StoreCreditService } from './store-credit.service';
import { moveReturn, type RefundMethod } from './return.repository';
import type { ReturnDetail, ReturnsCore } from './return.service';
import type { Db } from '../../platform/db/database';

/** A refund claim older than this was left by a process that died mid-refund: it may be taken again. */
export const REFUND_CLAIM_STALE_MS = 5 * 60_000; // 5 minutes, far above a processor's 10 s timeout per payment

/** The idempotency key a return's refunds carry on each payment. */
export const returnRefundKey = (returnId: string) => `return:${returnId}`;

export interface RefundReturnInput {
  method: RefundMethod;
  /** Original payments only: how much from which payment; must add up to what is owed. Default: newest first. */
  allocations?: Array<{ payment_id: string; amount: number }> | undefined;
}

export function createReturnRefunds(deps: {
  db: Db;
  core: ReturnsCore;
  payments: PaymentsService;
  storeCredit: StoreCreditService;
}) {
  const { db, core, payments } = deps;
  const refused = (message: string, field: string, extra: Record<string, unknown> = {}) =>
    new AppError('unprocessable', message, { ...extra, errors: [{ field, message }] });

  /** What each payment of the order already gave back for this return (a refund under the return's key). */
  async function givenFor(orderId: string, returnId: string) {
    const list = (await payments.listPayments({ order_id: orderId, limit: 200 })).data;
    const given = new Map<string, number>();
    for (const p of list) {
      const earlier = await payments.findRefundByKey(p.id, returnRefundKey(returnId));
      if (earlier) given.set(p.id, earlier.amount.amount);
    }
    return { list, given, total: [...given.values()].reduce((n, v) => n + v, 0) };
  }

  /**
   * Which payment gives back how much: the chosen split, checked, or the newest tenders first — among the
   * payments that have not refunded this return yet (one refund per payment and return).
   */
  async function plan(orderId: string, returnId: string, owed: number, input: RefundReturnInput) {
    const { list: all, given } = await givenFor(orderId, returnId);
    const list = all.filter((p) => !given.has(p.id));
    const left = new Map(list.map((p) => [p.id, p.amount_captured.amount - p.amount_refunded.amount]));
    const refundable = [...left.values()].reduce((n, v) => n + Math.max(0, v), 0);
    if (input.allocations) {
      const sum = input.allocations.reduce((n, a) => n + a.amount, 0);
      input.allocations.forEach((a, i) => {
        if (!left.has(a.payment_id))
          throw refused('Not a payment of this order.', `body.allocations.${i}.payment_id`);
        if (a.amount > left.get(a.payment_id)!)
          throw refused(
            `A refund cannot exceed what this payment captured and has not refunded (${left.get(a.payment_id)}).`,
            `body.allocations.${i}.amount`,
            { refundable: left.get(a.payment_id) },
          );
      });
      if (sum !== owed)
        throw refused(
          `The allocations must add up to what is owed (${owed}); they add up to ${sum}.`,
          'body.allocations',
        );
      return input.allocations.filter((a) => a.amount > 0);
    }
    if (refundable < owed)
      throw refused(
        `The order's payments hold ${refundable} that can still be refunded; the return owes ${owed}. Refund the rest as store credit.`,
        'body.method',
        { refundable },
      );
    const out: Array<{ payment_id: string; amount: number }> = [];
    let rest = owed;
    // Newest first: the tender taken last (often the card after a gift card) gives back first.
    for (const p of [...list].sort((a, b) => (a.id < b.id ? 1 : -1))) {
      const take = Math.min(rest, Math.max(0, left.get(p.id)!));
      if (take > 0) out.push({ payment_id: p.id, amount: take });
      rest -= take;
    }
    return out;
  }

  return {
    /**
     * Gives the money of an inspected return back and completes it.
     * @example await refunds.refundReturn('ret_…', { method: 'original_payment' }, actor)
     */
    async refundReturn(id: string, input: RefundReturnInput, actor: Actor): Promise<ReturnDetail> {
      const current = await core.retrieveReturn(id);
      // A claim left `refunding` long ago is a crashed refund: take it again (the keys stop double refunds).
      const stale =
        current.status === 'refunding' && Date.parse(current.updated_at) < Date.now() - REFUND_CLAIM_STALE_MS;
      if (current.status !== 'inspected' && !stale)
        throw new AppError(
          'conflict',
          `Only an inspected return can be refunded; this one is ${current.status}.`,
          {
            errors: [{ field: 'params.id', message: `is ${current.status}` }],
          },
        );
      // What the payments already gave back under this return's key counts, even if the return never recorded it.
      const already = input.method === 'original_payment' ? (await givenFor(current.order_id, id)).total : 0;
      const owed = current.refund_total.amount - Math.max(current.refunded.amount, already);
      const currency = current.refund_total.currency;
      if (input.method === 'store_credit' && !current.customer_id)
        throw refused('Store credit belongs to a customer; this sale had none.', 'body.method');
      if (input.allocations && input.method !== 'original_payment')
        throw refused('Allocations name payments: use method original_payment.', 'body.allocations');
      const planned =
        input.method === 'original_payment' ? await plan(current.order_id, id, owed, input) : [];

      const claimed = await inTransaction(db, (trx) =>
        stale
          ? trx
              .updateTable('returns')
              .set({ refund_method: input.method, updated_at: Date.now() })
              .where('id', '=', id)
              .where('status', '=', 'refunding')
              .where('updated_at', '=', Date.parse(current.updated_at))
              .returningAll()
              .executeTakeFirst()
          : moveReturn(trx, id, ['inspected'], 'refunding', { refund_method: input.method }),
      );
      if (!claimed) throw new AppError('conflict', 'The return is already being refunded.');

      // Refunded where the goods came back (a store's counter → that store's channel).
      const at = await core.channelAt(current.location_id);
      const complete = (refundIds: string[]) =>
        inTransaction(db, async (trx) => {
          if (input.method === 'store_credit' && owed > 0)
            await deps.storeCredit.credit(
              trx,
              {
                customer_id: current.customer_id!,
                amount: { amount: owed, currency },
                reason: `return ${id}`,
                reference: { type: 'return', id },
              },
              actor,
            );
          const now = Date.now();
          const done = (await moveReturn(trx, id, ['refunding'], 'completed', {
            refunded_amount: current.refund_total.amount,
            refunded_at: now,
            completed_at: now,
          }))!;
          await core.emit(
            trx,
            'return.refunded',
            done,
            actor,
            { method: input.method, amount: { amount: owed, currency }, refund_ids: refundIds },
            at,
          );
          await core.emit(trx, 'return.completed', done, actor, {}, at);
        });

      const refundIds: string[] = [];
      for (const step of planned) {
        try {
          const paid = await payments.refundPayment(
            step.payment_id,
            { amount: step.amount, reason: `return ${id}`, key: returnRefundKey(id) },
            actor,
            at, // the payment's event says where the money came back, as the return's do
          );
          refundIds.push(paid.refund.id);
          await db
            .updateTable('returns')
            .set({ refunded_amount: sql`refunded_amount + ${step.amount}`, updated_at: Date.now() })
            .where('id', '=', id)
            .execute();
        } catch (err) {
          // Keep what was given back; the return waits, inspected, for a retry of the rest.
          await inTransaction(db, (trx) => moveReturn(trx, id, ['refunding'], 'inspected'));
          throw err;
        }
      }
      await complete(refundIds);
      return core.retrieveReturn(id);
    },
  };
}

export type ReturnRefunds = ReturnType<typeof createReturnRefunds>;
