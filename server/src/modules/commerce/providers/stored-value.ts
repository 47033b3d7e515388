/**
 * @module Stored-value providers: `gift_card` and `store_credit`. Spending is captured at once, in the payment's
 * own transaction (the balance and the payment commit together or not at all); a refund puts the money back on
 * the card or the customer's balance it came from. Neither can hold an authorization, so neither can be voided.
 */
import { AppError } from '../../../platform/errors';
import type { Trx } from '../../../platform/db/transaction';
import type { GiftCardsService } from '../gift-card.service';
import type { StoreCreditService } from '../store-credit.service';
import { methodError, ProviderRefusal, type PaymentProvider } from './provider';

const noVoid = async () => {
  throw new ProviderRefusal('not_voidable', 'Stored value is spent at once: refund it instead.');
};

export function giftCardProvider(giftCards: GiftCardsService): PaymentProvider {
  return {
    name: 'gift_card',
    remote: false,
    validate(method) {
      return method.code && method.code.length <= 64
        ? []
        : [methodError('code', 'is required: the code on the gift card')];
    },
    async authorize({ db, payment, actor }, method) {
      const result = await giftCards.redeem(db as Trx, {
        code: method.code!,
        amount: payment.amount,
        payment_id: payment.id,
        actor,
      });
      if (!('card' in result)) return { status: 'failed', ...result };
      return {
        status: 'captured',
        amount: payment.amount.amount,
        reference: result.card.id,
        details: { last4: result.card.last4, balance_after: Number(result.card.balance) },
      };
    },
    async capture() {},
    async refund({ db, payment, actor }, amount) {
      await giftCards.refundTo(db as Trx, {
        gift_card_id: payment.provider_reference!,
        amount,
        payment_id: payment.id,
        actor,
      });
      return payment.provider_reference;
    },
    void: noVoid,
  };
}

export function storeCreditProvider(storeCredit: StoreCreditService): PaymentProvider {
  return {
    name: 'store_credit',
    remote: false,
    validate() {
      return [];
    },
    async authorize({ db, payment, actor }) {
      if (!payment.customer_id)
        throw new AppError('validation_failed', 'Store credit belongs to a customer: name them.', {
          errors: [{ field: 'body.customer_id', message: 'is required to pay with store credit' }],
        });
      const result = await storeCredit.debit(
        db as Trx,
        {
          customer_id: payment.customer_id,
          amount: payment.amount,
          reason: `payment ${payment.id}`,
          payment_id: payment.id,
        },
        actor,
      );
      if (!('account' in result)) return { status: 'failed', ...result };
      return { status: 'captured', amount: payment.amount.amount, reference: result.account.id };
    },
    async capture() {},
    async refund({ db, payment, actor }, amount, refundId) {
      // An erased customer's credit has no owner left to give it back to: refund another way.
      if (!payment.customer_id)
        throw new ProviderRefusal('customer_erased', 'The customer was erased; refund by another tender.');
      await storeCredit.credit(
        db,
        {
          customer_id: payment.customer_id,
          amount: { amount, currency: payment.amount.currency },
          reason: `refund ${refundId} of payment ${payment.id}`,
          payment_id: payment.id,
          reference: { type: 'refund', id: refundId },
        },
        actor,
      );
      return payment.provider_reference;
    },
    void: noVoid,
  };
}
