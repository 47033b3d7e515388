/**
 * @module Split tender: several payments against one amount due (gift card + card online, cash + card at the
 * POS). Every tender is checked before the first is taken; the tenders must add up to exactly the amount due, in
 * its currency. They are then taken in order; when one fails, those already taken are undone in reverse —
 * voided when only authorized, refunded when captured — so a failed sale never keeps the customer's money.
 */
import { AppError, type FieldError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Money } from '../catalog';
import type { Payment } from './payment.repository';
import type { CreatePaymentInput, PaymentsService } from './payment.service';
import type { PaymentMethodInput } from './providers/provider';

export interface TenderInput {
  provider: string;
  amount: number;
  method?: PaymentMethodInput | undefined;
}

export interface SplitTenderInput {
  channel_id: string;
  order_id?: string | undefined;
  cart_id?: string | undefined;
  customer_id?: string | undefined;
  amount_due: Money;
  tenders: TenderInput[];
}

/**
 * Takes every tender or none.
 * @example await payTenders(payments, { channel_id, order_id, amount_due: { amount: 8000, currency: 'EUR' }, tenders: [{ provider: 'gift_card', amount: 5000, method: { code } }, { provider: 'cash', amount: 3000, method: { tendered: 5000 } }] }, actor)
 */
export async function payTenders(
  payments: PaymentsService,
  input: SplitTenderInput,
  actor: Actor,
): Promise<Payment[]> {
  const one = (t: TenderInput): CreatePaymentInput => ({
    provider: t.provider,
    amount: { amount: t.amount, currency: input.amount_due.currency },
    channel_id: input.channel_id,
    order_id: input.order_id,
    cart_id: input.cart_id,
    customer_id: input.customer_id,
    // A sale settles now: an authorization left open would leave the till short.
    capture: true,
    method: t.method,
  });
  const errors: FieldError[] = input.tenders.flatMap((t, i) =>
    payments.validatePayment(one(t), `body.tenders.${i}`),
  );
  const sum = input.tenders.reduce((n, t) => n + t.amount, 0);
  if (sum !== input.amount_due.amount)
    errors.push({
      field: 'body.tenders',
      message: `must add up to the amount due (${input.amount_due.amount}); they add up to ${sum}`,
    });
  if (errors.length > 0) throw new AppError('validation_failed', 'The tenders are not valid.', { errors });

  const taken: Payment[] = [];
  try {
    for (const tender of input.tenders) {
      const payment = await payments.createPayment(one(tender), actor);
      taken.push(payment);
      if (payment.status !== 'captured')
        throw new AppError(
          'conflict',
          `The ${tender.provider} tender needs the customer first (${payment.status}).`,
          {
            payment_id: payment.id,
          },
        );
    }
    return taken;
  } catch (err) {
    const compensated = await compensate(payments, taken, actor);
    if (err instanceof AppError) Object.assign(err.details, { compensated });
    throw err;
  }
}

/** Undoes taken tenders, newest first; returns the ids it undid (checkout undoes its payment step with it). */
export async function compensate(
  payments: PaymentsService,
  taken: Payment[],
  actor: Actor,
): Promise<string[]> {
  const undone: string[] = [];
  for (const payment of [...taken].reverse()) {
    if (payment.status === 'captured')
      await payments.refundPayment(payment.id, { reason: 'split tender: another tender failed' }, actor);
    else if (payment.status === 'authorized' || payment.status === 'requires_action')
      await payments.voidPayment(payment.id, actor);
    else continue;
    undone.push(payment.id);
  }
  return undone;
}
