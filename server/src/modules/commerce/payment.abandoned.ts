/**
 * @module Payments a checkout left behind: a card confirmed (3-D Secure) by a shopper who never came back to the
 * shop, so no order was placed and the money sits on a cart. Once the checkout's stock hold has expired (the
 * reservation TTL, plus a grace for a resume in flight) the checkout can no longer finish: a captured payment is
 * refunded, an authorization or a card still waiting for the customer is voided. Each change is the payments
 * service's own (guarded UPDATE + `payment.refunded` / `payment.voided` event in one transaction), and the refund
 * carries a fixed key, so several server processes running this job can never give the money back twice. The job
 * keeps no state of its own: what is left to do is read from the payments table each run.
 */
import type { FastifyBaseLogger } from 'fastify';
import { systemActor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { startHousekeeping } from '../../platform/jobs/housekeeping';
import type { PaymentsService } from './payment.service';

/** Time after the hold expired for a shopper's resume that is already on its way to finish (or fail). */
export const ABANDONED_GRACE_MS = 60_000; // 1 minute

/** The refund key of an abandoned checkout's payment: one such refund per payment, ever. */
export const ABANDONED_REFUND_KEY = 'checkout_abandoned';

export function createAbandonedPayments(deps: {
  db: Db;
  payments: PaymentsService;
  /** The checkout's stock hold (config.reservationTtlMs): past it, the checkout cannot be resumed. */
  reservationTtlMs: number;
}) {
  const { db, payments } = deps;

  /**
   * Gives back what abandoned checkouts took; returns how many payments were settled.
   * @example await abandoned.settleAbandonedPayments() // → 1 (a captured 3-D Secure payment refunded)
   */
  async function settleAbandonedPayments(now = Date.now()): Promise<number> {
    const rows = await db
      .selectFrom('payments')
      .select(['id', 'status'])
      .where('cart_id', 'is not', null)
      .where('order_id', 'is', null)
      .where('status', 'in', ['captured', 'partially_refunded', 'authorized', 'requires_action'])
      .where('created_at', '<', now - deps.reservationTtlMs - ABANDONED_GRACE_MS)
      .orderBy('id')
      .limit(100)
      .execute();
    let settled = 0;
    for (const row of rows) {
      try {
        if (row.status === 'authorized' || row.status === 'requires_action')
          await payments.voidPayment(row.id, systemActor);
        else
          await payments.refundPayment(
            row.id,
            { reason: 'checkout abandoned: no order was placed', key: ABANDONED_REFUND_KEY },
            systemActor,
          );
        settled += 1;
      } catch {
        // Changed meanwhile (a webhook, another process, the resume's own give-back) or the processor is down:
        // the next run reads the payment again.
      }
    }
    return settled;
  }

  return {
    settleAbandonedPayments,
    /** Runs the clean-up every `everyMs`; returns its stopper. */
    startJobs(log: FastifyBaseLogger, everyMs: number): () => void {
      return startHousekeeping([async () => void (await settleAbandonedPayments())], everyMs, log);
    },
  };
}
