/**
 * @module The price a customer sees: `priceFor` is the one function every channel calls (the staff API, the
 * storefront API, promotions, commerce), so the same cart costs the same in every channel unless a price list
 * makes a channel an explicit exception — and `compareChannels` shows those exceptions side by side.
 */
import { AppError, type FieldError } from '../../platform/errors';
import type { Db } from '../../platform/db/database';
import { variantRowsOfProducts, variantsByIds } from './variant.repository';
import { isCurrency, type Money } from './price.money';
import {
  activePriceListRows,
  mainCurrencyOf,
  priceListRuleFromRow,
  pricesOfVariants,
  type PriceListRule,
} from './price.repository';
import { resolvePrice, type ComputedPrice, type PriceContext, type StoredPrice } from './price.resolve';
import { decodeBool } from '../../platform/db/codecs';

/** Who the customer is for pricing: the surviving profile (merges followed) and its segments. */
export interface PricingCustomer {
  customer_id: string;
  segment_ids: string[];
}

export interface PriceComputeDeps {
  db: Db;
  channelExists: (id: string) => Promise<boolean>;
  /** The customer's segments, following merges; null for an unknown or erased customer. */
  customerSegments: (customerId: string) => Promise<PricingCustomer | null>;
  /** Every channel, for the side-by-side comparison. */
  allChannels: () => Promise<Array<{ id: string; name: string; kind: string; active: boolean }>>;
}

export interface PriceForInput {
  variantIds: string[];
  currency: string;
  channelId: string;
  customerId?: string | null | undefined;
  /** Epoch ms; default now. */
  at?: number | undefined;
}

export interface PriceForResult {
  currency: string;
  channel_id: string;
  /** The surviving profile the prices were computed for, when a customer was given. */
  customer_id: string | null;
  at: string;
  data: ComputedPrice[];
}

export interface ChannelComparison {
  variant_id: string;
  currency: string;
  /** What a channel without any channel-specific list would charge (no customer). */
  default: Pick<ComputedPrice, 'price' | 'compare_at' | 'source' | 'reason'>;
  channels: Array<
    Pick<ComputedPrice, 'price' | 'compare_at' | 'source' | 'reason'> & {
      channel_id: string;
      channel_name: string;
      channel_kind: string;
      /** The channel's price is not the default one, and `source` says which list made it so. */
      differs: boolean;
    }
  >;
}

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

export function createPriceComputation(deps: PriceComputeDeps) {
  const { db } = deps;

  /** Computes without checking the inputs: for callers that already did (promotions, the comparison). */
  async function compute(
    variantIds: readonly string[],
    ctx: PriceContext,
    lists?: ReadonlyMap<string, PriceListRule>,
  ): Promise<ComputedPrice[]> {
    const rules = lists ?? (await activeLists());
    const byVariant = new Map<string, StoredPrice[]>();
    for (const row of await pricesOfVariants(db, variantIds, ctx.currency)) {
      const list = byVariant.get(row.variant_id) ?? [];
      list.push({
        price_list_id: row.price_list_id,
        amount: Number(row.amount),
        tax_inclusive: decodeBool(row.tax_inclusive),
      });
      byVariant.set(row.variant_id, list);
    }
    return variantIds.map((id) => resolvePrice(id, byVariant.get(id) ?? [], rules, ctx));
  }

  async function activeLists(): Promise<Map<string, PriceListRule>> {
    return new Map((await activePriceListRows(db)).map((r) => [r.id, priceListRuleFromRow(r)]));
  }

  /** Checks currency and variants; field names are the query parameters of the compute routes. */
  async function checkCommon(variantIds: readonly string[], currency: string, errors: FieldError[]) {
    if (!isCurrency(currency))
      errors.push({ field: 'query.currency', message: 'is not an ISO-4217 currency code' });
    const known = new Set((await variantsByIds(db, variantIds)).map((v) => v.id));
    variantIds.forEach((id, i) => {
      if (!known.has(id)) errors.push({ field: `query.variant_ids.${i}`, message: 'is not a known variant' });
    });
  }

  return {
    compute,

    /** The customer's pricing identity (survivor and segments), or a 400 naming `field` when unknown. */
    async pricingCustomer(
      customerId: string | null | undefined,
      field: string,
    ): Promise<PricingCustomer | null> {
      if (!customerId) return null;
      const found = await deps.customerSegments(customerId);
      if (!found) throw invalid([{ field, message: 'is not a known customer' }]);
      return found;
    },

    /**
     * The price each variant costs this customer in this channel now (or `at`), with the base price, the
     * price a sale beat, and why. The one computation every channel uses.
     * @example const { data } = await prices.priceFor({ variantIds: ['var_…'], currency: 'EUR',
     *   channelId: 'cha_web', customerId: 'cus_…' })
     *   // data[0] → { price: { amount: 2399, currency: 'EUR' }, compare_at: { amount: 2999, … },
     *   //   source: { type: 'sale', name: 'Winter sale', … }, reason: 'Sale “Winter sale”, lower than the base price' }
     */
    async priceFor(input: PriceForInput): Promise<PriceForResult> {
      const errors: FieldError[] = [];
      await checkCommon(input.variantIds, input.currency, errors);
      if (!(await deps.channelExists(input.channelId)))
        errors.push({ field: 'query.channel_id', message: 'is not a known channel' });
      let customer: PricingCustomer | null = null;
      if (input.customerId) {
        customer = await deps.customerSegments(input.customerId);
        if (!customer) errors.push({ field: 'query.customer_id', message: 'is not a known customer' });
      }
      if (errors.length) throw invalid(errors);
      const at = input.at ?? Date.now();
      const data = await compute(input.variantIds, {
        currency: input.currency,
        channelId: input.channelId,
        segmentIds: customer?.segment_ids ?? [],
        at,
      });
      return {
        currency: input.currency,
        channel_id: input.channelId,
        customer_id: customer?.customer_id ?? null,
        at: new Date(at).toISOString(),
        data,
      };
    },

    /**
     * The range of prices an anonymous shopper sees for these products in a channel (null: the default price),
     * in the currency most of their variants are priced in: the search's price facet.
     * @example catalog.setPriceFacet(prices.priceRange) // facets.price → { min: { amount: 1999, … }, max: … }
     */
    async priceRange(
      productIds: string[],
      context: { channelId: string | null },
    ): Promise<{ min: Money; max: Money } | null> {
      const variantIds = (await variantRowsOfProducts(db, productIds)).map((v) => v.id);
      const currency = await mainCurrencyOf(db, variantIds);
      if (!currency) return null;
      const amounts = (
        await compute(variantIds, { currency, channelId: context.channelId, segmentIds: [], at: Date.now() })
      )
        .map((p) => p.price?.amount)
        .filter((a): a is number => a !== undefined);
      if (amounts.length === 0) return null;
      return {
        min: { amount: Math.min(...amounts), currency },
        max: { amount: Math.max(...amounts), currency },
      };
    },

    /**
     * The search's price filter: of these products, those with a variant an anonymous shopper in the channel
     * pays between `min` and `max` (minor units, inclusive) for now — in `currency`, or without one in the
     * currency the price facet reports for them (most of their variants'), so a storefront filters in what the
     * facet showed it.
     * @example catalog.setPriceFilter(prices.productsPricedWithin)
     *   // ({ ids: ['prd_…'], currency: 'EUR' }) for (ids, { channelId: 'cha_web', min: 2000, max: 4000 })
     */
    async productsPricedWithin(
      productIds: string[],
      range: {
        channelId: string | null;
        min?: number | undefined;
        max?: number | undefined;
        currency?: string;
      },
    ): Promise<{ ids: string[]; currency: string | null }> {
      const variants = await variantRowsOfProducts(db, productIds);
      const currency =
        range.currency ??
        (await mainCurrencyOf(
          db,
          variants.map((v) => v.id),
        ));
      if (!currency) return { ids: [], currency: null };
      const computed = await compute(
        variants.map((v) => v.id),
        { currency, channelId: range.channelId, segmentIds: [], at: Date.now() },
      );
      const productOf = new Map(variants.map((v) => [v.id, v.product_id]));
      const ids = new Set<string>();
      for (const p of computed) {
        const amount = p.price?.amount;
        if (amount === undefined) continue;
        if (
          (range.min === undefined || amount >= range.min) &&
          (range.max === undefined || amount <= range.max)
        )
          ids.add(productOf.get(p.variant_id)!);
      }
      return { ids: [...ids], currency };
    },

    /**
     * Each variant's price in every channel next to the default, for an anonymous shopper: where a channel
     * differs, `source` names the channel-specific list that makes it so ("store price differs from web price").
     * @example await prices.compareChannels({ variantIds: ['var_…'], currency: 'EUR' })
     */
    async compareChannels(input: {
      variantIds: string[];
      currency: string;
      at?: number | undefined;
    }): Promise<ChannelComparison[]> {
      const errors: FieldError[] = [];
      await checkCommon(input.variantIds, input.currency, errors);
      if (errors.length) throw invalid(errors);
      const at = input.at ?? Date.now();
      const lists = await activeLists();
      const channels = await deps.allChannels();
      const ctx = (channelId: string | null): PriceContext => ({
        currency: input.currency,
        channelId,
        segmentIds: [],
        at,
      });
      const defaults = await compute(input.variantIds, ctx(null), lists);
      const perChannel = await Promise.all(channels.map((c) => compute(input.variantIds, ctx(c.id), lists)));
      const view = (p: ComputedPrice) => ({
        price: p.price,
        compare_at: p.compare_at,
        source: p.source,
        reason: p.reason,
      });
      return defaults.map((d, i) => ({
        variant_id: d.variant_id,
        currency: input.currency,
        default: view(d),
        channels: channels.map((c, ci) => {
          const p = perChannel[ci]![i]!;
          return {
            channel_id: c.id,
            channel_name: c.name,
            channel_kind: c.kind,
            ...view(p),
            differs: p.price?.amount !== d.price?.amount || p.compare_at?.amount !== d.compare_at?.amount,
          };
        }),
      }));
    },
  };
}

export type PriceComputation = ReturnType<typeof createPriceComputation>;

/**
 * The lookups pricing needs from the customers and channels services, built from their public methods (passed
 * in by app.ts, so the catalog imports nothing of theirs): a customer's segments following merges (null when
 * unknown or erased), whether a segment exists, and every channel.
 */
export function pricingLookups(services: {
  listCustomerSegments: (customerId: string) => Promise<{ customer_id: string; data: Array<{ id: string }> }>;
  retrieveSegment: (id: string) => Promise<unknown>;
  listChannels: (page: { limit?: number; cursor?: string }) => Promise<{
    data: Array<{ id: string; name: string; kind: string; active: boolean }>;
    next_cursor: string | null;
  }>;
}) {
  const unlessNotFound =
    <T>(fallback: T) =>
    (err: unknown): T => {
      if (err instanceof AppError && err.code === 'not_found') return fallback;
      throw err;
    };
  return {
    customerSegments: (customerId: string): Promise<PricingCustomer | null> =>
      services
        .listCustomerSegments(customerId)
        .then(
          (r) => ({ customer_id: r.customer_id, segment_ids: r.data.map((s) => s.id) }),
          unlessNotFound(null),
        ),
    segmentExists: (id: string): Promise<boolean> =>
      services.retrieveSegment(id).then(() => true, unlessNotFound(false)),
    async allChannels() {
      const all: Array<{ id: string; name: string; kind: string; active: boolean }> = [];
      let cursor: string | undefined;
      do {
        const page = await services.listChannels({ limit: 200, ...(cursor ? { cursor } : {}) });
        all.push(...page.data);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return all.sort((a, b) => (a.id < b.id ? -1 : 1));
    },
  };
}
