/**
 * @module Reversing an order's payments when the order is cancelled: authorizations (and payments still waiting
 * for the customer) are voided, captured money still held is refunded. Each payment is reversed on its own, so one
 * provider's failure does not stop the others; the first failure is rethrown after all were tried.
 */
import type { Actor } from '../../platform/auth/principal';
import type { PaymentsService } from './payment.service';

/** Payments of one order are few (split tender); one page holds them all. */
const MAX_PAYMENTS_PER_ORDER = 200;

export async function reverseOrderPayments(
  payments: PaymentsService,
  orderId: string,
  actor: Actor,
): Promise<void> {
  const { data } = await payments.listPayments({ order_id: orderId, limit: MAX_PAYMENTS_PER_ORDER });
  let failure: unknown = null;
  for (const payment of data) {
    try {
      if (payment.status === 'authorized' || payment.status === 'requires_action') {
        await payments.voidPayment(payment.id, actor);
      } else if (payment.amount_captured.amount > payment.amount_refunded.amount) {
        await payments.refundPayment(payment.id, { reason: 'Order cancelled' }, actor);
      }
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure) throw failure;
}
