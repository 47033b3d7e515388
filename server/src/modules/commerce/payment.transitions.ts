/**
 * @module A payment's state changes as they are written: the provider's answer applied by a guarded UPDATE, the
 * event of the change and the order's payment hook in the same transaction, and the errors of a remote provider.
 */
import type { Selectable } from 'kysely';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { findPaymentRow, movePayment, paymentFromRow, type PaymentStatus } from './payment.repository';
import type { PaymentRow } from './payment.table';
import { ProviderRefusal, type AuthorizeOutcome } from './providers/provider';

const eventOf: Partial<Record<PaymentStatus, string>> = {
  authorized: 'payment.authorized',
  captured: 'payment.captured',
  requires_action: 'payment.action_required',
  failed: 'payment.failed',
  voided: 'payment.voided',
  partially_refunded: 'payment.refunded',
  refunded: 'payment.refunded',
};

export function paymentTransitions(deps: {
  events: EventBus;
  onOrderPaymentChanged: (trx: Trx, orderId: string) => Promise<void>;
}) {
  const { events } = deps;
  /**
   * The event of a state change and the order's hook, in the change's transaction. `at` is the channel where the
   * change happened when that is not the payment's own (a refund given at a store's returns desk); otherwise the
   * payment's channel.
   */
  async function announce(
    trx: Trx,
    row: Selectable<PaymentRow>,
    actor: Actor,
    data: object = {},
    at: string | null = null,
  ) {
    const payment = paymentFromRow(row);
    const type = eventOf[payment.status];
    if (type)
      await events.append(trx, {
        type,
        aggregate: { type: 'payment', id: payment.id },
        customerId: payment.customer_id,
        channelId: at ?? payment.channel_id,
        actor,
        data: {
          id: payment.id,
          order_id: payment.order_id,
          cart_id: payment.cart_id,
          provider: payment.provider,
          status: payment.status,
          amount: payment.amount,
          amount_authorized: payment.amount_authorized,
          amount_captured: payment.amount_captured,
          amount_refunded: payment.amount_refunded,
          failure_code: payment.failure_code,
          ...data,
        },
      });
    if (payment.order_id) await deps.onOrderPaymentChanged(trx, payment.order_id);
  }

  /**
   * Records what the provider answered, if the payment is still in one of `from`; a payment that moved meanwhile
   * (a webhook won the race) is returned as it is now, and nothing is announced twice.
   */
  async function applyOutcome(
    trx: Trx,
    id: string,
    outcome: AuthorizeOutcome,
    from: readonly PaymentStatus[],
    actor: Actor,
  ): Promise<Selectable<PaymentRow>> {
    const common = {
      provider_reference: outcome.reference ?? null,
      ...(outcome.details ? { details: outcome.details } : {}),
    };
    const set =
      outcome.status === 'authorized'
        ? { ...common, amount_authorized: outcome.amount }
        : outcome.status === 'captured'
          ? { ...common, amount_authorized: outcome.amount, amount_captured: outcome.amount }
          : outcome.status === 'failed'
            ? { ...common, failure_code: outcome.code, failure_message: outcome.message }
            : common;
    const after = await movePayment(trx, id, from, outcome.status, set);
    if (!after) return (await findPaymentRow(trx, id))!;
    await announce(trx, after, actor);
    return after;
  }

  const declined = (row: Selectable<PaymentRow>) =>
    new AppError('payment_declined', row.failure_message ?? 'The payment was declined.', {
      payment_id: row.id,
      decline_code: row.failure_code,
    });

  /** Talks to a remote provider; a refusal or an unreachable processor becomes a clear 409/503. */
  async function remote<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ProviderRefusal)
        throw new AppError('conflict', `The payment provider refused: ${err.code}.`, {
          provider_code: err.code,
        });
      if (err instanceof AppError) throw err;
      throw new AppError('unavailable', 'The payment provider does not answer; nothing was changed.');
    }
  }

  return { announce, applyOutcome, declined, remote };
}
