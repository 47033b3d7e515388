/**
 * @module The promotion engine: given cart lines (priced), the shopper's context and the candidate promotions,
 * decide which apply and how much each takes off each line, and say why. Pure and integer-only.
 *
 * Rules (docs/api.md repeats them):
 * - Order: promotions apply by priority (higher first), then oldest first; each works on what earlier ones left
 *   of a line, so a line never goes below zero and stacking is predictable.
 * - Percentage: the percent of the eligible lines' remaining total, rounded half up once for the whole order,
 *   then split over the lines in proportion to their remaining amounts by largest remainder — so the order
 *   discount is exactly `round(total × percent)` and the line discounts add up to it to the cent.
 * - Fixed amount: the amount (capped at the eligible remaining total), split the same way.
 * - Buy X get Y: every full group of X + Y eligible units (up to `max_applications` groups) makes Y units
 *   `get_percent` off; the discounted units are the cheapest eligible units, each rounded half up.
 * - Free shipping: the shipping amount given is discounted whole (once, whichever promotion comes first).
 * - Conditions: status and window at `at`, channels, segments, per-customer and total limits (as they stand;
 *   redemption enforces them atomically), minimum subtotal (the cart's subtotal before any discount, in the
 *   cart's currency), and products/categories (a line is eligible when its product is named or one of its
 *   categories is a named category or lies under one; no products and no categories = every line).
 */
import { allocate, formatMoney, roundHalfUp, type Money } from './price.money';
import type { Promotion } from './promotion.repository';

export interface EngineLine {
  id: string;
  variant_id: string;
  quantity: number;
  /** Minor units of the cart's currency. */
  unit_price: number;
  product_id: string;
  category_paths: string[];
}

export interface EngineContext {
  currency: string;
  channelId: string;
  customerId: string | null;
  segmentIds: readonly string[];
  at: number;
  /** Null: no shipping given; a free-shipping offer is then reported as `free_shipping: true` only. */
  shippingAmount: number | null;
}

export interface Candidate {
  promotion: Promotion;
  /** The code the shopper entered, or null for an automatic promotion. */
  code: string | null;
  /** The customer's uses of this promotion so far. */
  customerUses: number;
}

export type NotAppliedReason =
  | 'unknown_code'
  | 'inactive'
  | 'not_started'
  | 'expired'
  | 'channel_not_eligible'
  | 'customer_required'
  | 'customer_not_eligible'
  | 'customer_limit_reached'
  | 'usage_limit_reached'
  | 'currency_mismatch'
  | 'min_subtotal_not_met'
  | 'no_eligible_items'
  | 'quantity_not_met'
  | 'nothing_to_discount';

export interface Adjustment {
  promotion_id: string;
  code: string | null;
  name: string;
  amount: Money;
}

export interface LineResult {
  id: string;
  variant_id: string;
  quantity: number;
  unit_price: Money;
  subtotal: Money;
  discount: Money;
  total: Money;
  adjustments: Adjustment[];
}

export interface AppliedPromotion {
  promotion_id: string;
  code: string | null;
  name: string;
  kind: Promotion['kind'];
  /** Taken off the lines (shipping discounts are in `shipping`). */
  amount: Money;
  free_shipping: boolean;
  description: string;
}

export interface NotApplied {
  promotion_id: string | null;
  code: string | null;
  name: string | null;
  reason: NotAppliedReason;
  detail: string;
}

export interface Evaluation {
  currency: string;
  subtotal: Money;
  /** The sum of every line's discount, to the cent. */
  discount_total: Money;
  total: Money;
  free_shipping: boolean;
  shipping: { amount: Money; discount: Money; total: Money } | null;
  lines: LineResult[];
  applied: AppliedPromotion[];
  not_applied: NotApplied[];
}

const time = (iso: string | null) => (iso === null ? null : Date.parse(iso));

function ineligibility(
  c: Candidate,
  ctx: EngineContext,
  subtotal: number,
): { reason: NotAppliedReason; detail: string } | null {
  const p = c.promotion;
  const starts = time(p.starts_at);
  const ends = time(p.ends_at);
  const cond = p.conditions;
  if (p.status !== 'active') return { reason: 'inactive', detail: `The promotion is ${p.status}` };
  if (starts !== null && ctx.at < starts)
    return { reason: 'not_started', detail: `Starts at ${p.starts_at}` };
  if (ends !== null && ctx.at >= ends) return { reason: 'expired', detail: `Ended at ${p.ends_at}` };
  if (cond.channel_ids.length && !cond.channel_ids.includes(ctx.channelId))
    return { reason: 'channel_not_eligible', detail: 'Not offered in this channel' };
  if ((cond.segment_ids.length || p.usage_limit_per_customer !== null) && !ctx.customerId)
    return { reason: 'customer_required', detail: 'Only for identified customers' };
  if (cond.segment_ids.length && !cond.segment_ids.some((s) => ctx.segmentIds.includes(s)))
    return { reason: 'customer_not_eligible', detail: 'Only for some customers' };
  if (p.usage_limit_per_customer !== null && c.customerUses >= p.usage_limit_per_customer)
    return {
      reason: 'customer_limit_reached',
      detail: `Already used ${c.customerUses} time(s) by this customer`,
    };
  if (p.usage_limit !== null && p.times_used >= p.usage_limit)
    return { reason: 'usage_limit_reached', detail: 'No uses left' };
  const min = cond.min_subtotal;
  if (min && min.currency !== ctx.currency)
    return { reason: 'currency_mismatch', detail: `The minimum subtotal is in ${min.currency}` };
  if (min && subtotal < min.amount)
    return {
      reason: 'min_subtotal_not_met',
      detail: `Spend ${formatMoney({ amount: min.amount - subtotal, currency: ctx.currency })} more`,
    };
  if (p.kind === 'fixed_amount' && p.amount_off && p.amount_off.currency !== ctx.currency)
    return { reason: 'currency_mismatch', detail: `The amount off is in ${p.amount_off.currency}` };
  return null;
}

function eligible(p: Promotion, line: EngineLine): boolean {
  const { product_ids: products, category_ids: categories } = p.conditions;
  if (products.length === 0 && categories.length === 0) return true;
  return (
    products.includes(line.product_id) ||
    categories.some((cat) => line.category_paths.some((path) => path.includes(`/${cat}/`)))
  );
}

/**
 * Evaluates candidates against priced lines.
 * @example evaluatePromotions(lines, [{ promotion: tenPercent, code: 'WELCOME10', customerUses: 0 }], [], ctx)
 */
export function evaluatePromotions(
  lines: readonly EngineLine[],
  candidates: readonly Candidate[],
  unknownCodes: readonly string[],
  ctx: EngineContext,
): Evaluation {
  const m = (amount: number): Money => ({ amount, currency: ctx.currency });
  const subtotals = lines.map((l) => l.unit_price * l.quantity);
  const subtotal = subtotals.reduce((a, b) => a + b, 0);
  const remaining = [...subtotals];
  const adjustments: Adjustment[][] = lines.map(() => []);
  const applied: AppliedPromotion[] = [];
  const notApplied: NotApplied[] = unknownCodes.map((code) => ({
    promotion_id: null,
    code,
    name: null,
    reason: 'unknown_code',
    detail: 'No promotion has this code',
  }));
  let shippingDiscount = 0;
  let freeShipping = false;

  const ordered = [...candidates].sort(
    (a, b) =>
      b.promotion.priority - a.promotion.priority ||
      (a.promotion.id < b.promotion.id ? -1 : a.promotion.id > b.promotion.id ? 1 : 0),
  );
  for (const c of ordered) {
    const p = c.promotion;
    const refuse = (reason: NotAppliedReason, detail: string) =>
      notApplied.push({ promotion_id: p.id, code: c.code, name: p.name, reason, detail });
    const why = ineligibility(c, ctx, subtotal);
    if (why) {
      refuse(why.reason, why.detail);
      continue;
    }
    if (p.kind === 'free_shipping') {
      if (freeShipping) {
        refuse('nothing_to_discount', 'Shipping is already free');
        continue;
      }
      freeShipping = true;
      shippingDiscount = ctx.shippingAmount ?? 0;
      applied.push({
        promotion_id: p.id,
        code: c.code,
        name: p.name,
        kind: p.kind,
        amount: m(0),
        free_shipping: true,
        description: 'Free shipping',
      });
      continue;
    }
    const idx = lines.map((_, i) => i).filter((i) => eligible(p, lines[i]!) && remaining[i]! > 0);
    if (idx.length === 0) {
      refuse('no_eligible_items', 'No item in the cart qualifies');
      continue;
    }
    const weights = idx.map((i) => remaining[i]!);
    const eligibleTotal = weights.reduce((a, b) => a + b, 0);
    let parts: number[];
    let description: string;
    if (p.kind === 'percentage') {
      parts = allocate(roundHalfUp(eligibleTotal * p.percent!, 100), weights);
      description = `${p.percent}% off ${idx.length} line(s)`;
    } else if (p.kind === 'fixed_amount') {
      parts = allocate(Math.min(p.amount_off!.amount, eligibleTotal), weights);
      description = `${formatMoney(p.amount_off!)} off`;
    } else {
      const result = buyXGetY(p, idx, lines, remaining);
      if (result.groups === 0) {
        refuse('quantity_not_met', `Add ${result.missing} more qualifying item(s)`);
        continue;
      }
      parts = result.parts;
      const off = p.get_percent === 100 ? 'free' : `${p.get_percent}% off`;
      description = `Buy ${p.buy_quantity}, get ${p.get_quantity} ${off}: ${result.units} item(s)`;
    }
    const total = parts.reduce((a, b) => a + b, 0);
    if (total === 0) {
      refuse('nothing_to_discount', 'Nothing left to discount');
      continue;
    }
    idx.forEach((i, k) => {
      const part = parts[k]!;
      if (part === 0) return;
      remaining[i] = remaining[i]! - part;
      adjustments[i]!.push({ promotion_id: p.id, code: c.code, name: p.name, amount: m(part) });
    });
    applied.push({
      promotion_id: p.id,
      code: c.code,
      name: p.name,
      kind: p.kind,
      amount: m(total),
      free_shipping: false,
      description,
    });
  }

  const lineResults = lines.map((l, i) => ({
    id: l.id,
    variant_id: l.variant_id,
    quantity: l.quantity,
    unit_price: m(l.unit_price),
    subtotal: m(subtotals[i]!),
    discount: m(subtotals[i]! - remaining[i]!),
    total: m(remaining[i]!),
    adjustments: adjustments[i]!,
  }));
  const discountTotal = subtotal - remaining.reduce((a, b) => a + b, 0);
  return {
    currency: ctx.currency,
    subtotal: m(subtotal),
    discount_total: m(discountTotal),
    total: m(subtotal - discountTotal),
    free_shipping: freeShipping,
    shipping:
      ctx.shippingAmount === null
        ? null
        : {
            amount: m(ctx.shippingAmount),
            discount: m(shippingDiscount),
            total: m(ctx.shippingAmount - shippingDiscount),
          },
    lines: lineResults,
    applied,
    not_applied: notApplied,
  };
}

/** Buy X get Y over the eligible lines `idx`: the cheapest units of the qualifying groups are discounted. */
function buyXGetY(
  p: Promotion,
  idx: readonly number[],
  lines: readonly EngineLine[],
  remaining: readonly number[],
): { groups: number; units: number; missing: number; parts: number[] } {
  const x = p.buy_quantity!;
  const y = p.get_quantity!;
  const units: Array<{ k: number; price: number }> = [];
  idx.forEach((i, k) => {
    for (let u = 0; u < lines[i]!.quantity; u++) units.push({ k, price: lines[i]!.unit_price });
  });
  let groups = Math.floor(units.length / (x + y));
  if (p.max_applications !== null) groups = Math.min(groups, p.max_applications);
  const missing = groups === 0 ? x + y - units.length : 0;
  // Cheapest first; equal prices keep cart order, so the same cart always discounts the same units.
  units.sort((a, b) => a.price - b.price || a.k - b.k);
  const parts = idx.map(() => 0);
  for (const unit of units.slice(0, groups * y))
    parts[unit.k]! += roundHalfUp(unit.price * p.get_percent!, 100);
  // Earlier promotions may have left less of a line than the units' discount.
  idx.forEach((i, k) => (parts[k] = Math.min(parts[k]!, remaining[i]!)));
  return { groups, units: groups * y, missing, parts };
}
