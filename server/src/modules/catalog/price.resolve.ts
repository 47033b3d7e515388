/**
 * @module The one rule that turns stored prices into the price a customer sees, in every channel. Pure: the
 * service loads the variant's prices and the active lists, this decides and explains.
 *
 * Order of resolution for one variant in one currency at a time `at`:
 * 1. A list takes part only if it is active, `starts_at <= at < ends_at`, names the channel (or no channel) and
 *    shares a segment with the customer (or names no segment), and holds a price for the variant.
 * 2. Among taking-part `override` lists the highest `priority` wins; a tie goes to the more specific list (one
 *    point each for naming channels and naming segments), then to the newest. Its price replaces the base price.
 * 3. Among taking-part `sale` lists the lowest price wins (ties: priority, then newest). A sale applies only when
 *    it is lower than the price of step 2 (or the base price); the price it beats is shown as `compare_at`.
 * A list restricted to channels is an explicit channel exception: `channel_exception` says the price differs
 * by channel because of it. Without such a list, every channel computes the same price for the same customer.
 */
import type { PriceListRule, PriceListType } from './price.repository';
import type { Money } from './price.money';

export interface PriceContext {
  currency: string;
  /** Null: no particular channel — only lists that name no channel take part (the "default" price). */
  channelId: string | null;
  /** Segments the customer belongs to; empty for an anonymous shopper. */
  segmentIds: readonly string[];
  at: number;
}

export interface StoredPrice {
  price_list_id: string | null;
  amount: number;
  tax_inclusive: boolean;
}

/** Why a list did or did not set the price. */
export type ListOutcome =
  | 'applied'
  | 'outranked'
  | 'not_lower'
  | 'lower_sale_won'
  | 'draft'
  | 'not_started'
  | 'ended'
  | 'other_channel'
  | 'not_in_segment';

export interface ConsideredList {
  price_list_id: string;
  name: string;
  type: PriceListType;
  priority: number;
  price: Money;
  outcome: ListOutcome;
}

export interface PriceSource {
  /** `base` (no list), `price_list` (an override list), `sale`, or `none` when the variant has no price. */
  type: 'base' | 'price_list' | 'sale' | 'none';
  price_list_id: string | null;
  name: string | null;
  priority: number | null;
  /** The list names channels: the price is a deliberate exception for this channel. */
  channel_specific: boolean;
  /** The list names segments: the price is for members only. */
  segment_specific: boolean;
}

export interface ComputedPrice {
  variant_id: string;
  currency: string;
  /** The variant's base price in this currency, before any list. */
  base: Money | null;
  /** What the customer pays per unit; null when the variant has no price they can see in this currency. */
  price: Money | null;
  /** The price a sale beat (shown struck through), else null. */
  compare_at: Money | null;
  tax_inclusive: boolean | null;
  source: PriceSource;
  /** True when a channel-specific list decided the price: another channel may see another price. */
  channel_exception: boolean;
  /** One sentence saying why this is the price. */
  reason: string;
  /** Every list holding a price for the variant, and what became of it (staff answers only). */
  considered: ConsideredList[];
}

function exclusion(list: PriceListRule, ctx: PriceContext): ListOutcome | null {
  if (list.status !== 'active') return 'draft';
  if (list.starts_at !== null && ctx.at < list.starts_at) return 'not_started';
  if (list.ends_at !== null && ctx.at >= list.ends_at) return 'ended';
  if (list.channel_ids.length > 0 && (ctx.channelId === null || !list.channel_ids.includes(ctx.channelId)))
    return 'other_channel';
  if (list.segment_ids.length > 0 && !list.segment_ids.some((s) => ctx.segmentIds.includes(s)))
    return 'not_in_segment';
  return null;
}

const specificity = (list: PriceListRule) =>
  (list.channel_ids.length > 0 ? 1 : 0) + (list.segment_ids.length > 0 ? 1 : 0);

interface Candidate {
  list: PriceListRule;
  price: StoredPrice;
}

/** Override order: priority, then specificity, then newest (ids sort by creation time). */
const overrideOrder = (a: Candidate, b: Candidate) =>
  b.list.priority - a.list.priority ||
  specificity(b.list) - specificity(a.list) ||
  (a.list.id < b.list.id ? 1 : a.list.id > b.list.id ? -1 : 0);

/** Sale order: lowest amount, then the override order. */
const saleOrder = (a: Candidate, b: Candidate) => a.price.amount - b.price.amount || overrideOrder(a, b);

const sourceOf = (type: PriceSource['type'], list: PriceListRule | null): PriceSource => ({
  type,
  price_list_id: list?.id ?? null,
  name: list?.name ?? null,
  priority: list?.priority ?? null,
  channel_specific: (list?.channel_ids.length ?? 0) > 0,
  segment_specific: (list?.segment_ids.length ?? 0) > 0,
});

/**
 * Computes one variant's price from its stored prices (base and lists, one currency) and the lists they belong to.
 * @example resolvePrice('var_1', [{ price_list_id: null, amount: 2999, tax_inclusive: true }], new Map(), ctx)
 *   // → { price: { amount: 2999, currency: 'EUR' }, source: { type: 'base', … }, reason: 'Base price', … }
 */
export function resolvePrice(
  variantId: string,
  prices: readonly StoredPrice[],
  lists: ReadonlyMap<string, PriceListRule>,
  ctx: PriceContext,
): ComputedPrice {
  const m = (amount: number): Money => ({ amount, currency: ctx.currency });
  const base = prices.find((p) => p.price_list_id === null) ?? null;
  const considered = new Map<string, ConsideredList>();
  const overrides: Candidate[] = [];
  const sales: Candidate[] = [];
  for (const price of prices) {
    if (price.price_list_id === null) continue;
    // A price whose list is not active was not loaded: it plays no part and is not listed.
    const list = lists.get(price.price_list_id);
    if (!list) continue;
    const out = exclusion(list, ctx);
    considered.set(list.id, {
      price_list_id: list.id,
      name: list.name,
      type: list.type,
      priority: list.priority,
      price: m(price.amount),
      outcome: out ?? 'outranked',
    });
    if (out) continue;
    (list.type === 'sale' ? sales : overrides).push({ list, price });
  }

  overrides.sort(overrideOrder);
  sales.sort(saleOrder);
  const override = overrides[0] ?? null;
  const current: StoredPrice | null = override?.price ?? base;
  let applied: Candidate | null = override;
  let compareAt: number | null = null;
  const sale = sales[0] ?? null;
  if (sale && (current === null || sale.price.amount < current.amount)) {
    compareAt = current?.amount ?? null;
    applied = sale;
  }
  for (const c of sales) {
    // Only the lowest sale can apply; when it does, the others lost to it, else none was below the price.
    considered.get(c.list.id)!.outcome =
      c === applied ? 'applied' : applied === sale ? 'lower_sale_won' : 'not_lower';
  }
  // The winning override set the price (or, under a sale, the compare-at price the sale beat).
  if (override) considered.get(override.list.id)!.outcome = 'applied';

  const final = applied?.price ?? base;
  const type: PriceSource['type'] = applied
    ? applied.list.type === 'sale'
      ? 'sale'
      : 'price_list'
    : base
      ? 'base'
      : 'none';
  const source = sourceOf(type, applied?.list ?? null);
  const channelException =
    (applied?.list.channel_ids.length ?? 0) > 0 || (override?.list.channel_ids.length ?? 0) > 0;

  return {
    variant_id: variantId,
    currency: ctx.currency,
    base: base ? m(base.amount) : null,
    price: final ? m(final.amount) : null,
    compare_at: compareAt === null ? null : m(compareAt),
    tax_inclusive: final ? final.tax_inclusive : null,
    source,
    channel_exception: channelException,
    reason: reasonFor(
      type,
      applied?.list ?? null,
      override?.list ?? null,
      overrides.length,
      channelException,
    ),
    considered: [...considered.values()],
  };
}

function reasonFor(
  type: PriceSource['type'],
  list: PriceListRule | null,
  override: PriceListRule | null,
  overrideCount: number,
  channelException: boolean,
): string {
  const scope = (l: PriceListRule) =>
    [l.channel_ids.length ? 'this channel' : '', l.segment_ids.length ? 'the customer’s segment' : '']
      .filter(Boolean)
      .join(' and ');
  const forScope = (l: PriceListRule) => (scope(l) ? ` for ${scope(l)}` : '');
  switch (type) {
    case 'none':
      return 'No price in this currency';
    case 'base':
      return 'Base price: no price list applies';
    case 'price_list':
      return `Price list “${list!.name}”${forScope(list!)}${
        overrideCount > 1 ? ` (priority ${list!.priority}, outranking ${overrideCount - 1} other)` : ''
      }${channelException ? ': a channel exception' : ''}`;
    case 'sale':
      return `Sale “${list!.name}”${forScope(list!)}, lower than the ${
        override ? `price of “${override.name}”` : 'base price'
      }${channelException ? ': a channel exception' : ''}`;
  }
}
