/**
 * @module Redemption: counting a promotion's use for an order or cart, atomically and idempotently.
 *
 * `redeem` runs one transaction per call. For each promotion (in id order, so concurrent calls lock rows in the
 * same order and cannot deadlock) it records the redemption under the unique (promotion, reference) key, then
 * counts the use with one guarded UPDATE (`times_used + 1 WHERE … times_used < usage_limit`) and the customer's
 * use with one guarded upsert; a statement that changed no row means the limit was reached, and the whole call
 * rolls back. Redeeming again for the same reference is a replay (nothing counted twice); two concurrent calls
 * for one reference meet at the unique key, and the loser retries and replays. `release` gives the uses back,
 * once, through a conditional status change.
 */
import type { Selectable } from 'kysely';
import { AppError, type FieldError } from '../../platform/errors';
import { decodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { ConcurrentChangeError } from '../../platform/db/errors';
import { inTransaction, inTransactionWithRetry, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import type { PricingCustomer } from './price.compute';
import { normalizeCode } from './promotion.evaluate';
import {
  countCustomerUse,
  countUse,
  findPromotionRow,
  findRedemptionRow,
  insertRedemption,
  moveRedemption,
  promotionRowsByCodes,
  promotionRowsByIds,
  redemptionFromRow,
  redemptionRowsOfReference,
  uncountCustomerUse,
  uncountUse,
  type Redemption,
} from './promotion.repository';
import type { CatalogPromotionRow } from './promotion.table';

export interface RedeemInput {
  /** The order (or cart) id the promotions are used for: the idempotency key of the redemption. */
  reference: string;
  channel_id: string;
  customer_id?: string | null | undefined;
  codes?: string[] | undefined;
  promotion_ids?: string[] | undefined;
}

export interface RedeemResult {
  reference: string;
  redemptions: Array<Redemption & { code: string | null; replayed: boolean }>;
}

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

export function createPromotionRedemption(deps: {
  db: Db;
  events: EventBus;
  channelExists: (id: string) => Promise<boolean>;
  customerSegments: (customerId: string) => Promise<PricingCustomer | null>;
}) {
  const { db, events } = deps;

  /** Which promotions the input names, each with the request field that named it. */
  async function resolve(input: RedeemInput, errors: FieldError[]) {
    const named = new Map<string, { row: Selectable<CatalogPromotionRow>; field: string }>();
    const codes = (input.codes ?? []).map(normalizeCode);
    const byCode = new Map((await promotionRowsByCodes(db, codes)).map((r) => [r.code, r]));
    codes.forEach((code, i) => {
      const row = byCode.get(code);
      if (!row) errors.push({ field: `body.codes.${i}`, message: 'is not a known promotion code' });
      else if (!named.has(row.id)) named.set(row.id, { row, field: `body.codes.${i}` });
    });
    const byId = new Map((await promotionRowsByIds(db, input.promotion_ids ?? [])).map((r) => [r.id, r]));
    (input.promotion_ids ?? []).forEach((id, i) => {
      const row = byId.get(id);
      if (!row) errors.push({ field: `body.promotion_ids.${i}`, message: 'is not a known promotion' });
      else if (!named.has(id)) named.set(id, { row, field: `body.promotion_ids.${i}` });
    });
    if (named.size === 0 && errors.length === 0)
      errors.push({ field: 'body.codes', message: 'name at least one promotion (codes or promotion_ids)' });
    return [...named.values()].sort((a, b) => (a.row.id < b.row.id ? -1 : 1));
  }

  /** Why the guarded UPDATE counted nothing, read afterwards only to explain it. */
  async function refusal(trx: Trx, id: string, field: string, now: number): Promise<AppError> {
    const row = (await findPromotionRow(trx, id))!;
    const fail = (code: 'conflict' | 'unprocessable', reason: string, message: string) =>
      new AppError(code, message, { reason, promotion_id: id, errors: [{ field, message }] });
    if (row.status !== 'active') return fail('unprocessable', 'inactive', `the promotion is ${row.status}`);
    if (row.starts_at != null && now < Number(row.starts_at))
      return fail('unprocessable', 'not_started', 'the promotion has not started');
    if (row.ends_at != null && now >= Number(row.ends_at))
      return fail('unprocessable', 'expired', 'the promotion has ended');
    return fail('conflict', 'usage_limit_reached', 'the promotion has no uses left');
  }

  return {
    /**
     * Counts the use of promotions for an order or cart, all or nothing. Idempotent per reference; never over
     * the total or per-customer limit, whatever runs at the same time. Cart conditions (subtotal, items) are
     * evaluate's; redeem enforces status, window, channel, customer eligibility and the limits.
     * @example await promotions.redeem({ reference: 'ord_01…', channel_id: 'cha_web', customer_id: 'cus_…',
     *   codes: ['WELCOME10'] }, actor)
     */
    async redeem(input: RedeemInput, actor: Actor): Promise<RedeemResult> {
      const errors: FieldError[] = [];
      if (!(await deps.channelExists(input.channel_id)))
        errors.push({ field: 'body.channel_id', message: 'is not a known channel' });
      let customer: PricingCustomer | null = null;
      if (input.customer_id) {
        customer = await deps.customerSegments(input.customer_id);
        if (!customer) errors.push({ field: 'body.customer_id', message: 'is not a known customer' });
      }
      const targets = await resolve(input, errors);
      if (errors.length) throw invalid(errors);
      // Eligibility that no concurrent redemption can change; the counters are decided in the transaction.
      for (const { row, field } of targets) {
        const channelIds = decodeJson<string[]>(row.channel_ids);
        const segments = decodeJson<string[]>(row.segment_ids);
        const refuse = (reason: string, message: string) =>
          errors.push({ field, message: `${message} (${reason})` });
        if (channelIds.length && !channelIds.includes(input.channel_id))
          refuse('channel_not_eligible', 'is not offered in this channel');
        else if ((segments.length || row.usage_limit_per_customer != null) && !customer)
          refuse('customer_required', 'needs a customer_id');
        else if (segments.length && !segments.some((s) => customer!.segment_ids.includes(s)))
          refuse('customer_not_eligible', 'is not offered to this customer');
      }
      if (errors.length)
        throw new AppError('unprocessable', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
          errors,
        });

      return inTransactionWithRetry(db, async (trx) => {
        const now = Date.now();
        const out: RedeemResult['redemptions'] = [];
        for (const { row: promotion, field } of targets) {
          const existing = await findRedemptionRow(trx, promotion.id, input.reference);
          if (existing?.status === 'redeemed') {
            out.push({ ...redemptionFromRow(existing), code: promotion.code, replayed: true });
            continue;
          }
          const values = {
            customer_id: customer?.customer_id ?? null,
            channel_id: input.channel_id,
            status: 'redeemed',
            redeemed_at: now,
            released_at: null,
          };
          let id: string;
          if (existing) {
            // Released before: redeemed again under the same reference. Another call may be doing the same.
            if (!(await moveRedemption(trx, existing.id, 'released', values)))
              throw new ConcurrentChangeError();
            id = existing.id;
          } else {
            id = newId('red');
            // A concurrent call for the same reference hits the unique key here and retries as a replay.
            await insertRedemption(trx, {
              id,
              promotion_id: promotion.id,
              reference: input.reference,
              ...values,
            });
          }
          if (!(await countUse(trx, promotion.id, now))) throw await refusal(trx, promotion.id, field, now);
          if (customer && !(await countCustomerUse(trx, promotion.id, customer.customer_id)))
            throw new AppError('conflict', 'The customer has used this promotion as often as allowed.', {
              reason: 'customer_limit_reached',
              promotion_id: promotion.id,
              errors: [{ field, message: 'the customer has no uses left' }],
            });
          await events.append(trx, {
            type: 'promotion.redeemed',
            aggregate: { type: 'promotion', id: promotion.id },
            customerId: customer?.customer_id ?? null,
            channelId: input.channel_id,
            actor,
            data: {
              promotion_id: promotion.id,
              redemption_id: id,
              code: promotion.code,
              reference: input.reference,
            },
          });
          out.push({
            id,
            promotion_id: promotion.id,
            reference: input.reference,
            ...values,
            status: 'redeemed',
            redeemed_at: new Date(now).toISOString(),
            released_at: null,
            code: promotion.code,
            replayed: false,
          });
        }
        return { reference: input.reference, redemptions: out };
      });
    },

    /**
     * Gives back the uses counted for a reference (an order cancelled, a cart abandoned): every redemption of
     * it, or those of the promotions named. Releasing twice gives back once.
     * @example await promotions.release({ reference: 'ord_01…' }, actor) // → { released: [Redemption] }
     */
    async release(
      input: { reference: string; promotion_ids?: string[] | undefined },
      actor: Actor,
    ): Promise<{ reference: string; released: Redemption[] }> {
      return inTransaction(db, async (trx) => {
        const released: Redemption[] = [];
        const now = Date.now();
        for (const row of await redemptionRowsOfReference(trx, input.reference, input.promotion_ids)) {
          // The status change decides who gives the use back: a concurrent release changes no row and skips it.
          if (
            row.status !== 'redeemed' ||
            !(await moveRedemption(trx, row.id, 'redeemed', { status: 'released', released_at: now }))
          )
            continue;
          await uncountUse(trx, row.promotion_id);
          if (row.customer_id) await uncountCustomerUse(trx, row.promotion_id, row.customer_id);
          await events.append(trx, {
            type: 'promotion.released',
            aggregate: { type: 'promotion', id: row.promotion_id },
            customerId: row.customer_id,
            channelId: row.channel_id,
            actor,
            data: { promotion_id: row.promotion_id, redemption_id: row.id, reference: row.reference },
          });
          released.push(redemptionFromRow({ ...row, status: 'released', released_at: now }));
        }
        return { reference: input.reference, released };
      });
    },
  };
}
