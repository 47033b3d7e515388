/**
 * @module Privacy handler for payments, refunds, gift cards and store credit. Export lists them for the person.
 * Erasure keeps every amount (the books must still add up) but unlinks the person, as promotions do with
 * redemptions: customer ids become null, and free text (refund and ledger reasons, failure messages, manual
 * references) is scrubbed of their personal values. A store credit balance stays, owned by no one.
 */
import { toIsoRequired } from '../../platform/db/codecs';
import { scrubText, type PrivacyHandler } from '../../platform/privacy/privacy';
import { paymentFromRow, refundFromRow } from './payment.repository';
import { giftCardFromRow } from './gift-card.service';

const none = (ids: string[]) => (ids.length ? ids : ['']);

export const paymentsPrivacyHandler: PrivacyHandler = {
  name: 'payments',
  tables: ['payments', 'payment_refunds', 'gift_cards', 'store_credit_accounts', 'store_credit_movements'],

  async export(db, subject) {
    const ids = none(subject.customerIds);
    const payments = await db
      .selectFrom('payments')
      .selectAll()
      .where('customer_id', 'in', ids)
      .orderBy('id')
      .execute();
    const refunds = await db
      .selectFrom('payment_refunds')
      .selectAll()
      .where('payment_id', 'in', none(payments.map((p) => p.id)))
      .orderBy('id')
      .execute();
    const giftCards = await db
      .selectFrom('gift_cards')
      .selectAll()
      .where('customer_id', 'in', ids)
      .orderBy('id')
      .execute();
    const accounts = await db
      .selectFrom('store_credit_accounts')
      .selectAll()
      .where('customer_id', 'in', ids)
      .orderBy('id')
      .execute();
    const movements = await db
      .selectFrom('store_credit_movements')
      .selectAll()
      .where('account_id', 'in', none(accounts.map((a) => a.id)))
      .orderBy('id')
      .execute();
    return {
      payments: payments.map(paymentFromRow),
      payment_refunds: refunds.map(refundFromRow),
      gift_cards: giftCards.map((g) => giftCardFromRow(g)),
      store_credit: accounts.map((a) => ({
        id: a.id,
        balance: { amount: Number(a.balance), currency: a.currency },
        movements: movements
          .filter((m) => m.account_id === a.id)
          .map((m) => ({
            id: m.id,
            amount: { amount: Number(m.amount), currency: a.currency },
            reason: m.reason,
            occurred_at: toIsoRequired(Number(m.occurred_at)),
          })),
      })),
    };
  },

  async erase(trx, subject) {
    const ids = none(subject.customerIds);
    const scrub = (text: string | null) => (text == null ? null : scrubText(text, subject.values));
    const payments = await trx.selectFrom('payments').selectAll().where('customer_id', 'in', ids).execute();
    for (const p of payments) {
      await trx
        .updateTable('payments')
        .set({
          customer_id: null,
          failure_message: scrub(p.failure_message),
          provider_reference: p.provider === 'manual' ? scrub(p.provider_reference) : p.provider_reference,
        })
        .where('id', '=', p.id)
        .execute();
      const refunds = await trx
        .selectFrom('payment_refunds')
        .select(['id', 'reason'])
        .where('payment_id', '=', p.id)
        .execute();
      for (const r of refunds)
        await trx
          .updateTable('payment_refunds')
          .set({ reason: scrub(r.reason)! })
          .where('id', '=', r.id)
          .execute();
    }
    await trx.updateTable('gift_cards').set({ customer_id: null }).where('customer_id', 'in', ids).execute();
    const accounts = await trx
      .selectFrom('store_credit_accounts')
      .select('id')
      .where('customer_id', 'in', ids)
      .execute();
    for (const a of accounts) {
      const movements = await trx
        .selectFrom('store_credit_movements')
        .select(['id', 'reason'])
        .where('account_id', '=', a.id)
        .execute();
      for (const m of movements)
        await trx
          .updateTable('store_credit_movements')
          .set({ reason: scrub(m.reason)! })
          .where('id', '=', m.id)
          .execute();
    }
    await trx
      .updateTable('store_credit_accounts')
      .set({ customer_id: null })
      .where('customer_id', 'in', ids)
      .execute();
  },
};
