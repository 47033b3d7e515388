/**
 * @module `evaluate`: what commerce (and the storefront, and POS) asks before checkout — "these lines, in this
 * channel, for this customer, with these codes: which promotions apply, what does each take off each line, and
 * why not the others?". Lines without a unit price are priced by priceFor, the same computation every channel
 * uses; the rules themselves are promotion.engine.ts.
 */
import { AppError, type FieldError } from '../../platform/errors';
import type { Db } from '../../platform/db/database';
import { isCurrency, type Money } from './price.money';
import type { PriceComputation, PricingCustomer } from './price.compute';
import {
  automaticPromotionRows,
  customerUses,
  promotionFromRow,
  promotionRowsByCodes,
  variantFacts,
} from './promotion.repository';
import { evaluatePromotions, type Candidate, type EngineLine, type Evaluation } from './promotion.engine';

export interface EvaluateLine {
  /** The cart line's id; default its index. */
  id?: string | undefined;
  variant_id: string;
  quantity: number;
  /** Omitted: priceFor's price for this channel and customer. */
  unit_price?: Money | undefined;
}

export interface EvaluateInput {
  currency: string;
  channel_id: string;
  customer_id?: string | null | undefined;
  codes?: string[] | undefined;
  lines: EvaluateLine[];
  /** The shipping charge, when known: a free-shipping offer then discounts it. */
  shipping?: Money | null | undefined;
  /** ISO time; default now. */
  at?: string | undefined;
}

export type EvaluateResult = Evaluation & { channel_id: string; customer_id: string | null; at: string };

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

/** Codes compare case-insensitively: they are stored and matched upper-cased. */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();

export function createPromotionEvaluation(deps: {
  db: Db;
  pricing: PriceComputation;
  channelExists: (id: string) => Promise<boolean>;
  customerSegments: (customerId: string) => Promise<PricingCustomer | null>;
}) {
  const { db } = deps;

  return {
    /**
     * Evaluates promotions for cart-like lines. Changes nothing: `redeem` counts the uses at checkout.
     * @example await promotions.evaluate({ currency: 'EUR', channel_id: 'cha_web', customer_id: 'cus_…',
     *   codes: ['WELCOME10'], lines: [{ id: 'l1', variant_id: 'var_…', quantity: 2 }] })
     *   // → { subtotal, discount_total, total, lines: [{ …, discount, adjustments: [{ promotion_id, amount }] }],
     *   //     applied: [{ code: 'WELCOME10', amount, description: '10% off 1 line(s)' }], not_applied: [] }
     */
    async evaluate(input: EvaluateInput): Promise<EvaluateResult> {
      const errors: FieldError[] = [];
      const { currency } = input;
      if (!isCurrency(currency))
        errors.push({ field: 'body.currency', message: 'is not an ISO-4217 currency code' });
      if (!(await deps.channelExists(input.channel_id)))
        errors.push({ field: 'body.channel_id', message: 'is not a known channel' });
      let customer: PricingCustomer | null = null;
      if (input.customer_id) {
        customer = await deps.customerSegments(input.customer_id);
        if (!customer) errors.push({ field: 'body.customer_id', message: 'is not a known customer' });
      }
      const facts = await variantFacts(
        db,
        input.lines.map((l) => l.variant_id),
      );
      const ids = new Map<string, number>();
      input.lines.forEach((line, i) => {
        if (!facts.has(line.variant_id))
          errors.push({ field: `body.lines.${i}.variant_id`, message: 'is not a known variant' });
        if (line.unit_price && line.unit_price.currency !== currency)
          errors.push({
            field: `body.lines.${i}.unit_price.currency`,
            message: `must be the cart’s currency (${currency})`,
          });
        const id = line.id ?? String(i);
        if (ids.has(id))
          errors.push({ field: `body.lines.${i}.id`, message: `repeats the id of line ${ids.get(id)}` });
        ids.set(id, i);
      });
      if (input.shipping && input.shipping.currency !== currency)
        errors.push({
          field: 'body.shipping.currency',
          message: `must be the cart’s currency (${currency})`,
        });
      if (errors.length) throw invalid(errors);

      const at = input.at ? Date.parse(input.at) : Date.now();
      const segmentIds = customer?.segment_ids ?? [];
      const unpriced = input.lines.filter((l) => !l.unit_price).map((l) => l.variant_id);
      const computed = new Map(
        (await deps.pricing.compute(unpriced, { currency, channelId: input.channel_id, segmentIds, at })).map(
          (p) => [p.variant_id, p.price],
        ),
      );
      const lines: EngineLine[] = input.lines.map((line, i) => {
        const unit = line.unit_price?.amount ?? computed.get(line.variant_id)?.amount;
        if (unit === undefined)
          errors.push({
            field: `body.lines.${i}.variant_id`,
            message: `has no price in ${currency} in this channel`,
          });
        const f = facts.get(line.variant_id)!;
        return {
          id: line.id ?? String(i),
          variant_id: line.variant_id,
          quantity: line.quantity,
          unit_price: unit ?? 0,
          product_id: f.product_id,
          category_paths: f.category_paths,
        };
      });
      if (errors.length)
        throw new AppError('unprocessable', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
          errors,
        });

      const codes = [...new Set((input.codes ?? []).map(normalizeCode))];
      const coded = await promotionRowsByCodes(db, codes);
      const automatic = await automaticPromotionRows(db);
      const promotions = [...automatic, ...coded].map(promotionFromRow);
      const uses = customer
        ? await customerUses(
            db,
            promotions.map((p) => p.id),
            customer.customer_id,
          )
        : new Map<string, number>();
      const candidates: Candidate[] = promotions.map((p) => ({
        promotion: p,
        code: p.code,
        customerUses: uses.get(p.id) ?? 0,
      }));
      const found = new Set(coded.map((r) => r.code));
      const evaluation = evaluatePromotions(
        lines,
        candidates,
        codes.filter((c) => !found.has(c)),
        {
          currency,
          channelId: input.channel_id,
          customerId: customer?.customer_id ?? null,
          segmentIds,
          at,
          shippingAmount: input.shipping?.amount ?? null,
        },
      );
      return {
        ...evaluation,
        channel_id: input.channel_id,
        customer_id: customer?.customer_id ?? null,
        at: new Date(at).toISOString(),
      };
    },
  };
}
