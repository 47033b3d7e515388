/**
 * @module Payments: one service over every provider. A payment is written `pending`, the provider answers, and the
 * answer moves it by a guarded UPDATE (authorized, captured, requires_action, failed) together with its event and
 * the order's payment hook, in one transaction. Local providers (cash, card terminal, manual, gift card, store
 * credit) answer inside that transaction; the remote test processor is asked between two, never inside one.
 * Capture, void and refund follow the same shape; a refund is held against the payment first (never above
 * captured minus refunded), so concurrent refunds can never give back more than was taken.
 */
import type { Selectable } from 'kysely';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import { isUniqueViolation } from '../../platform/db/errors';
import type { EventBus } from '../../platform/events/outbox';
import type { Page } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import type { Money } from '../catalog';
import {
  addRefunded,
  attachPaymentRows,
  captureAmount,
  findPaymentByReference,
  findPaymentRow,
  findRefundByKey,
  insertPayment,
  insertRefund,
  listPaymentRows,
  listRefundRows,
  movePayment,
  paymentFromRow,
  refundFromRow,
  settleRefund,
  sumOrderPayments,
  type Payment,
  type PaymentFilter,
  type PaymentStatus,
  type Refund,
} from './payment.repository';
import type { PaymentRow } from './payment.table';
import { paymentTransitions } from './payment.transitions';
import { type AuthorizeOutcome, type PaymentMethodInput, type PaymentProvider } from './providers/provider';

export interface CreatePaymentInput {
  provider: string;
  amount: Money;
  channel_id: string;
  order_id?: string | undefined;
  cart_id?: string | undefined;
  customer_id?: string | undefined;
  /** Capture at once (default) or only authorize, to capture later (card providers; POS tenders capture anyway). */
  capture?: boolean | undefined;
  method?: PaymentMethodInput | undefined;
}

export interface PaymentTotals {
  currency: string | null;
  authorized: number;
  captured: number;
  refunded: number;
}

export interface PaymentsDeps {
  db: Db;
  events: EventBus;
  providers: PaymentProvider[];
  channelExists: (id: string) => Promise<boolean>;
  /** The surviving profile of a customer id. */
  resolveCustomer: (id: string) => Promise<string>;
  /** Called in the transaction of every change of a payment that belongs to an order. */
  onOrderPaymentChanged: (trx: Trx, orderId: string) => Promise<void>;
  /** The currency of an order, or null when there is no such order (checked before any money moves). */
  orderCurrency: (orderId: string) => Promise<string | null>;
}

export function createPaymentsService(deps: PaymentsDeps) {
  const { db } = deps;
  const { announce, applyOutcome, declined, remote } = paymentTransitions(deps);
  const providers = new Map(deps.providers.map((p) => [p.name, p]));

  function providerOf(name: string, field = 'body.provider'): PaymentProvider {
    const provider = providers.get(name);
    if (!provider)
      throw new AppError('validation_failed', `There is no payment provider "${name}".`, {
        errors: [{ field, message: `must be one of ${[...providers.keys()].join(', ')}` }],
      });
    return provider;
  }

  async function load(id: string): Promise<Selectable<PaymentRow>> {
    const row = await findPaymentRow(db, id);
    if (!row) throw notFound('payment', id);
    return row;
  }

  const service = {
    providerNames: () => [...providers.keys()],

    /** Field errors of a new payment's provider fields, before anything is written (split tender checks all first). */
    validatePayment(input: CreatePaymentInput, prefix = 'body') {
      const provider = providerOf(input.provider, `${prefix}.provider`);
      return provider
        .validate(input.method ?? {}, input.amount.amount)
        .map((e) => ({ ...e, field: e.field.replace(/^body\./, `${prefix}.`) }));
    },

    /**
     * Takes a payment through its provider. A decline is kept (status failed, with the provider's code) and
     * answered as a 402 `payment_declined`; `tok_async` answers `requires_action`, settled later by webhook.
     * @example await payments.createPayment({ provider: 'cash', amount: { amount: 1250, currency: 'EUR' }, channel_id, method: { tendered: 2000 } }, actor)
     */
    async createPayment(input: CreatePaymentInput, actor: Actor): Promise<Payment> {
      const provider = providerOf(input.provider);
      const errors = service.validatePayment(input);
      if (!(await deps.channelExists(input.channel_id)))
        errors.push({ field: 'body.channel_id', message: 'is not a known channel' });
      if (input.order_id) {
        const currency = await deps.orderCurrency(input.order_id);
        if (currency === null) errors.push({ field: 'body.order_id', message: 'is not a known order' });
        else if (currency !== input.amount.currency)
          errors.push({
            field: 'body.amount.currency',
            message: `must be the order's currency (${currency})`,
          });
      }
      if (errors.length > 0) throw new AppError('validation_failed', 'The payment is not valid.', { errors });
      const customerId = input.customer_id ? await deps.resolveCustomer(input.customer_id) : null;
      const now = Date.now();
      const pending = {
        id: newId('pay'),
        order_id: input.order_id ?? null,
        cart_id: input.cart_id ?? null,
        channel_id: input.channel_id,
        customer_id: customerId,
        provider: provider.name,
        currency: input.amount.currency,
        amount: input.amount.amount,
        status: 'pending',
        amount_authorized: 0,
        amount_captured: 0,
        amount_refunded: 0,
        created_at: now,
        updated_at: now,
      };
      const method = input.method ?? {};
      const capture = input.capture ?? true;
      let row: Selectable<PaymentRow>;
      if (!provider.remote) {
        row = await inTransaction(db, async (trx) => {
          const created = await insertPayment(trx, pending);
          const call = { db: trx, payment: paymentFromRow(created), actor };
          const outcome = await provider.authorize(call, method, capture);
          return applyOutcome(trx, created.id, outcome, ['pending'], actor);
        });
      } else {
        const created = await insertPayment(db, pending);
        const call = { db, payment: paymentFromRow(created), actor };
        const outcome: AuthorizeOutcome = await provider.authorize(call, method, capture).catch(() => ({
          status: 'failed',
          code: 'processor_unavailable',
          message: 'The payment processor did not answer.',
        }));
        row = await inTransaction(db, (trx) => applyOutcome(trx, created.id, outcome, ['pending'], actor));
      }
      if (row.status === 'failed') throw declined(row);
      return paymentFromRow(row);
    },

    async retrievePayment(id: string): Promise<Payment & { refunds: Refund[] }> {
      const row = await load(id);
      return { ...paymentFromRow(row), refunds: await listRefundRows(db, id) };
    },

    /** The refund a payment made under an idempotency key (e.g. a return's), or null. */
    async findRefundByKey(paymentId: string, key: string): Promise<Refund | null> {
      const row = await findRefundByKey(db, paymentId, key);
      return row ? refundFromRow(row) : null;
    },

    async listPayments(filter: PaymentFilter): Promise<Page<Payment>> {
      return listPaymentRows(db, filter);
    },

    /** Sums of an order's payments (minor units), read in the caller's transaction when given one. */
    async totals(dbOrTrx: DbOrTrx, orderId: string): Promise<PaymentTotals> {
      return sumOrderPayments(dbOrTrx, orderId);
    },

    /**
     * Attaches the payments a checkout took against a cart to the order it placed, inside the order's
     * transaction. All or nothing: a payment that belongs to another cart or already to an order is a 409 (the
     * transaction rolls back), so a payment is never moved between orders.
     * @example await payments.attachToOrder(trx, { cart_id: 'crt_…', order_id: 'ord_…', payment_ids: ['pay_…'] })
     */
    async attachToOrder(
      trx: Trx,
      input: { cart_id: string | null; order_id: string; payment_ids: string[] },
    ): Promise<void> {
      const attached = await attachPaymentRows(trx, input);
      if (attached !== input.payment_ids.length)
        throw new AppError('conflict', 'A payment of this checkout was attached to another order meanwhile.');
    },

    /** Captures an authorized payment, all of it or part (the rest of the authorization is released). */
    async capturePayment(id: string, input: { amount?: number | undefined }, actor: Actor): Promise<Payment> {
      const row = await load(id);
      const provider = providerOf(row.provider);
      if (row.status !== 'authorized')
        throw new AppError(
          'conflict',
          `Only an authorized payment can be captured; this one is ${row.status}.`,
        );
      const amount = input.amount ?? Number(row.amount_authorized);
      if (amount > Number(row.amount_authorized))
        throw new AppError('unprocessable', 'A capture cannot exceed what was authorized.', {
          errors: [{ field: 'body.amount', message: `must be at most ${row.amount_authorized}` }],
        });
      const call = { db: db as DbOrTrx, payment: paymentFromRow(row), actor };
      if (provider.remote) await remote(() => provider.capture(call, amount));
      const after = await inTransaction(db, async (trx) => {
        const captured = await captureAmount(trx, id, amount);
        if (!captured)
          throw new AppError('conflict', 'The payment changed meanwhile; it is no longer authorized.');
        if (!provider.remote) await provider.capture({ ...call, db: trx }, amount);
        await announce(trx, captured, actor);
        return captured;
      });
      return paymentFromRow(after);
    },

    /** Releases an authorization that was not captured (or a payment still waiting for the customer). */
    async voidPayment(id: string, actor: Actor): Promise<Payment> {
      const row = await load(id);
      const provider = providerOf(row.provider);
      const from: PaymentStatus[] = ['authorized', 'requires_action'];
      if (!from.includes(row.status as PaymentStatus))
        throw new AppError(
          'conflict',
          `Only an uncaptured payment can be voided; this one is ${row.status}.`,
        );
      const call = { db: db as DbOrTrx, payment: paymentFromRow(row), actor };
      if (provider.remote) await remote(() => provider.void(call));
      const after = await inTransaction(db, async (trx) => {
        const voided = await movePayment(trx, id, from, 'voided');
        if (!voided)
          throw new AppError('conflict', 'The payment changed meanwhile; it can no longer be voided.');
        if (!provider.remote) await provider.void({ ...call, db: trx });
        await announce(trx, voided, actor);
        return voided;
      });
      return paymentFromRow(after);
    },

    /**
     * Gives back part or all of what was captured (default: all that is left), with a reason. Refused when it
     * would exceed captured minus refunded — checked by the guarded UPDATE that holds the amount. With a `key`
     * (unique per payment, e.g. `return:ret_…`) a second call — a retry after a crash, or a concurrent one —
     * returns the first refund and gives nothing more; a refund the provider refused frees its key for a retry.
     * A pending refund found by its key (a crash while the provider was asked) is returned as it is, never sent
     * again: giving money twice is worse than a refund someone has to reconcile. `at` is the channel where the
     * refund is given when that is not the payment's (a return refunded at a store's counter): its
     * `payment.refunded` event carries it, so the customer's timeline says where the money came back.
     * @example await payments.refundPayment('pay_…', { amount: 500, reason: 'return ret_…', key: 'return:ret_…:pay_…' }, actor, 'cha_store_bcn')
     */
    async refundPayment(
      id: string,
      input: { amount?: number | undefined; reason: string; key?: string | undefined },
      actor: Actor,
      at: string | null = null,
    ): Promise<Payment & { refund: Refund }> {
      const row = await load(id);
      const provider = providerOf(row.provider);
      const amount = input.amount ?? Number(row.amount_captured) - Number(row.amount_refunded);
      const key = input.key ?? null;
      type Refunded = Payment & { refund: Refund };
      /** The refund made earlier under this key, if any. */
      const earlier = async (on: DbOrTrx = db): Promise<Refunded | undefined> => {
        const found = key ? await findRefundByKey(on, id, key) : undefined;
        return found && { ...paymentFromRow((await findPaymentRow(on, id))!), refund: refundFromRow(found) };
      };
      /**
       * Runs `fn` in a transaction unless a refund under the key exists. SQLite serializes transactions, so the
       * check inside sees any refund committed since; on PostgreSQL a concurrent one makes the unique index refuse
       * this insert (after waiting for the other transaction), this one rolls back and answers the other's refund.
       */
      const once = async <T>(fn: (trx: Trx) => Promise<T>): Promise<T | Refunded> => {
        const first = await earlier();
        if (first) return first;
        try {
          return await inTransaction(db, async (trx) => (await earlier(trx)) ?? fn(trx));
        } catch (err) {
          const raced = key && isUniqueViolation(err) ? await earlier() : undefined;
          if (raced) return raced;
          throw err;
        }
      };
      const hold = async (trx: Trx) => {
        const held = amount > 0 ? await addRefunded(trx, id, amount) : undefined;
        if (!held) {
          const now = (await findPaymentRow(trx, id))!;
          if (!['captured', 'partially_refunded'].includes(now.status))
            throw new AppError(
              'conflict',
              `Only a captured payment can be refunded; this one is ${now.status}.`,
            );
          const left = Number(now.amount_captured) - Number(now.amount_refunded);
          throw new AppError(
            'unprocessable',
            `A refund cannot exceed what was captured and not yet refunded (${left}).`,
            {
              errors: [{ field: 'body.amount', message: `must be at most ${left}` }],
            },
          );
        }
        const refund = await insertRefund(trx, {
          id: newId('refund'),
          payment_id: id,
          amount,
          currency: row.currency,
          status: 'pending',
          reason: input.reason,
          provider_reference: null,
          failure_code: null,
          actor_type: actor.type,
          actor_id: actor.id,
          created_at: Date.now(),
          updated_at: Date.now(),
          idempotency_key: key,
        });
        return { held, refund };
      };
      const settle = async (
        trx: Trx,
        held: Selectable<PaymentRow>,
        refundId: string,
        reference: string | null,
      ) => {
        const refund = (await settleRefund(trx, refundId, {
          status: 'succeeded',
          provider_reference: reference,
        }))!;
        await announce(
          trx,
          held,
          actor,
          { refund_id: refundId, refund_amount: { amount, currency: row.currency } },
          at,
        );
        return { ...paymentFromRow(held), refund: refundFromRow(refund) };
      };
      if (!provider.remote)
        return once(async (trx) => {
          const { held, refund } = await hold(trx);
          const reference = await provider.refund(
            { db: trx, payment: paymentFromRow(held), actor },
            amount,
            refund.id,
          );
          return settle(trx, held, refund.id, reference);
        });
      const holding = await once(hold);
      if (!('held' in holding)) return holding;
      const { held, refund } = holding;
      let reference: string | null;
      try {
        reference = await remote(() =>
          provider.refund({ db, payment: paymentFromRow(held), actor }, amount, refund.id),
        );
      } catch (err) {
        // Give the held amount back: the provider did not refund it.
        await inTransaction(db, async (trx) => {
          await addRefunded(trx, id, -amount);
          await settleRefund(trx, refund.id, {
            status: 'failed',
            // The provider gave nothing back: the key is free for a retry.
            idempotency_key: null,
            failure_code: err instanceof AppError ? String(err.details.provider_code ?? err.code) : 'error',
          });
        });
        throw err;
      }
      return inTransaction(db, (trx) => settle(trx, held, refund.id, reference));
    },

    /**
     * An inbound provider webhook: verified by the provider (bad signature → 401, nothing changes), recorded by
     * its id (a replay changes nothing), and applied to a payment still waiting for it.
     */
    async handleWebhook(
      providerName: string,
      rawBody: string,
      headers: Record<string, string | string[] | undefined>,
      actor: Actor,
    ): Promise<{ received: true; replayed: boolean; payment_id: string | null }> {
      const provider = providers.get(providerName);
      if (!provider?.readWebhook)
        throw new AppError('not_found', `No webhooks for provider "${providerName}".`);
      const notice = provider.readWebhook(rawBody, headers);
      return inTransaction(db, async (trx) => {
        const inserted = await trx
          .insertInto('payment_webhook_receipts')
          .values({
            provider: provider.name,
            webhook_id: notice.webhook_id,
            event_type: notice.event_type,
            payment_id: notice.payment_id,
            received_at: Date.now(),
          })
          .onConflict((oc) => oc.columns(['provider', 'webhook_id']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
          return { received: true as const, replayed: true, payment_id: notice.payment_id };
        const byId = notice.payment_id ? await findPaymentRow(trx, notice.payment_id) : undefined;
        const row =
          byId && byId.provider === provider.name
            ? byId
            : await findPaymentByReference(trx, provider.name, notice.reference);
        if (!row) return { received: true as const, replayed: false, payment_id: null };
        await applyOutcome(trx, row.id, notice.outcome, ['pending', 'requires_action'], actor);
        return { received: true as const, replayed: false, payment_id: row.id };
      });
    },
  };
  return service;
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
