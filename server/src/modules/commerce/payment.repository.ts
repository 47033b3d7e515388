/**
 * @module Payment queries and the payment's guarded updates. Every money move is one UPDATE whose WHERE clause is
 * the whole rule (the status it may leave, and enough authorized, captured or unrefunded money), checked by the
 * row it returns: two concurrent refunds can never both take the last euro.
 */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { decodeJson, encodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { Money } from '../catalog';
import type { PaymentRefundRow, PaymentRow } from './payment.table';

export const paymentStatuses = [
  'pending',
  'requires_action',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'failed',
] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** What a provider may say about a tender; never a card number. */
export type PaymentDetails = Record<string, string | number | boolean | null>;

export interface Payment {
  id: string;
  order_id: string | null;
  cart_id: string | null;
  channel_id: string;
  customer_id: string | null;
  provider: string;
  amount: Money;
  status: PaymentStatus;
  amount_authorized: Money;
  amount_captured: Money;
  amount_refunded: Money;
  provider_reference: string | null;
  details: PaymentDetails;
  failure_code: string | null;
  failure_message: string | null;
  created_at: string;
  updated_at: string;
}

export interface Refund {
  id: string;
  payment_id: string;
  amount: Money;
  status: 'pending' | 'succeeded' | 'failed';
  reason: string;
  provider_reference: string | null;
  failure_code: string | null;
  created_at: string;
}

export function paymentFromRow(row: Selectable<PaymentRow>): Payment {
  const m = (amount: number | string) => ({ amount: Number(amount), currency: row.currency });
  return {
    id: row.id,
    order_id: row.order_id,
    cart_id: row.cart_id,
    channel_id: row.channel_id,
    customer_id: row.customer_id,
    provider: row.provider,
    amount: m(row.amount),
    status: row.status as PaymentStatus,
    amount_authorized: m(row.amount_authorized),
    amount_captured: m(row.amount_captured),
    amount_refunded: m(row.amount_refunded),
    provider_reference: row.provider_reference,
    details: decodeJson<PaymentDetails>(row.details) ?? {},
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export function refundFromRow(row: Selectable<PaymentRefundRow>): Refund {
  return {
    id: row.id,
    payment_id: row.payment_id,
    amount: { amount: Number(row.amount), currency: row.currency },
    status: row.status as Refund['status'],
    reason: row.reason,
    provider_reference: row.provider_reference,
    failure_code: row.failure_code,
    created_at: toIsoRequired(Number(row.created_at)),
  };
}

export async function insertPayment(
  db: DbOrTrx,
  row: Omit<Insertable<PaymentRow>, 'details'> & { details?: PaymentDetails },
): Promise<Selectable<PaymentRow>> {
  return db
    .insertInto('payments')
    .values({ ...row, details: encodeJson(row.details ?? {}) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findPaymentRow(db: DbOrTrx, id: string): Promise<Selectable<PaymentRow> | undefined> {
  return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPaymentByReference(
  db: DbOrTrx,
  provider: string,
  reference: string,
): Promise<Selectable<PaymentRow> | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('provider', '=', provider)
    .where('provider_reference', '=', reference)
    .executeTakeFirst();
}

type PaymentSet = Omit<Updateable<PaymentRow>, 'details'> & { details?: PaymentDetails };

/**
 * Moves a payment out of one of `from` into `to`, setting the given columns, only if it is still in one of
 * `from`: two concurrent captures, or a capture racing a void, end with exactly one winner. Returns the row after,
 * or undefined when the payment was no longer in such a state.
 */
export async function movePayment(
  db: DbOrTrx,
  id: string,
  from: readonly PaymentStatus[],
  to: PaymentStatus,
  set: PaymentSet = {},
): Promise<Selectable<PaymentRow> | undefined> {
  const { details, ...rest } = set;
  return db
    .updateTable('payments')
    .set({
      ...rest,
      ...(details ? { details: encodeJson(details) } : {}),
      status: to,
      updated_at: Date.now(),
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

/** Captures up to what was authorized: the remainder of the authorization is released (one capture per payment). */
export async function captureAmount(
  db: DbOrTrx,
  id: string,
  amount: number,
  from: readonly PaymentStatus[] = ['authorized'],
): Promise<Selectable<PaymentRow> | undefined> {
  return db
    .updateTable('payments')
    .set({ status: 'captured', amount_captured: amount, updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .where('amount_authorized', '>=', amount)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Holds `amount` of a payment's captured money for a refund: never above captured minus refunded. The status
 * follows the sum. A negative `amount` gives a held refund back when the provider refused it.
 */
export async function addRefunded(
  db: DbOrTrx,
  id: string,
  amount: number,
): Promise<Selectable<PaymentRow> | undefined> {
  return db
    .updateTable('payments')
    .set({
      amount_refunded: sql`amount_refunded + ${amount}`,
      status: sql`case when amount_refunded + ${amount} = 0 then 'captured'
        when amount_refunded + ${amount} = amount_captured then 'refunded' else 'partially_refunded' end`,
      updated_at: Date.now(),
    })
    .where('id', '=', id)
    .where('status', 'in', ['captured', 'partially_refunded', 'refunded'])
    .where(sql<boolean>`amount_captured - amount_refunded >= ${amount}`)
    .where(sql<boolean>`amount_refunded + ${amount} >= 0`)
    .returningAll()
    .executeTakeFirst();
}

export async function insertRefund(
  db: DbOrTrx,
  row: Insertable<PaymentRefundRow>,
): Promise<Selectable<PaymentRefundRow>> {
  return db.insertInto('payment_refunds').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function settleRefund(
  db: DbOrTrx,
  id: string,
  set: {
    status: 'succeeded' | 'failed';
    provider_reference?: string | null;
    failure_code?: string | null;
    idempotency_key?: null;
  },
): Promise<Selectable<PaymentRefundRow> | undefined> {
  return db
    .updateTable('payment_refunds')
    .set({ ...set, updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

export async function listRefundRows(db: DbOrTrx, paymentId: string): Promise<Refund[]> {
  const rows = await db
    .selectFrom('payment_refunds')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('id')
    .execute();
  return rows.map(refundFromRow);
}

/** The refund a payment already made under `key`, if any (a retried refund returns it). */
export async function findRefundByKey(
  db: DbOrTrx,
  paymentId: string,
  key: string,
): Promise<Selectable<PaymentRefundRow> | undefined> {
  return db
    .selectFrom('payment_refunds')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export interface PaymentFilter extends PageRequest {
  order_id?: string | undefined;
  cart_id?: string | undefined;
  customer_id?: string | undefined;
  status?: PaymentStatus | undefined;
}

export async function listPaymentRows(db: DbOrTrx, filter: PaymentFilter): Promise<Page<Payment>> {
  let q = db.selectFrom('payments').selectAll();
  if (filter.order_id) q = q.where('order_id', '=', filter.order_id);
  if (filter.cart_id) q = q.where('cart_id', '=', filter.cart_id);
  if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
  if (filter.status) q = q.where('status', '=', filter.status);
  return paginate(q, 'id', filter, paymentFromRow);
}

/**
 * Moves payments taken against a cart (`cart_id`; null for a till's transient cart) onto the order they paid
 * for, in the order's transaction. Guarded: a payment of another cart, or already on an order, is never moved —
 * the caller compares the count returned with the ids it gave.
 */
export async function attachPaymentRows(
  trx: DbOrTrx,
  input: { cart_id: string | null; order_id: string; payment_ids: string[] },
): Promise<number> {
  if (input.payment_ids.length === 0) return 0;
  let q = trx
    .updateTable('payments')
    .set({ order_id: input.order_id, updated_at: Date.now() })
    .where('id', 'in', input.payment_ids)
    .where('order_id', 'is', null);
  q = input.cart_id ? q.where('cart_id', '=', input.cart_id) : q.where('cart_id', 'is', null);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Sums of an order's payments, in minor units of the order's currency (payments of one order share it). */
export async function sumOrderPayments(
  db: DbOrTrx,
  orderId: string,
): Promise<{ currency: string | null; authorized: number; captured: number; refunded: number }> {
  const row = await db
    .selectFrom('payments')
    .select((eb) => [
      eb.fn.max('currency').as('currency'),
      // A voided authorization holds nothing any more; its row keeps the figure for the record.
      sql<number>`sum(case when status = 'voided' then 0 else amount_authorized end)`.as('authorized'),
      eb.fn.sum<number>('amount_captured').as('captured'),
      eb.fn.sum<number>('amount_refunded').as('refunded'),
    ])
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return {
    currency: (row?.currency as string | null) ?? null,
    authorized: Number(row?.authorized ?? 0),
    captured: Number(row?.captured ?? 0),
    refunded: Number(row?.refunded ?? 0),
  };
}
