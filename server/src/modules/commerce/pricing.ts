/**
 * @module `priceCart`: what a cart costs, the one computation every channel uses (storefront, staff API, POS,
 * checkout, order edits). Unit prices come from the catalog's `priceFor` in the asking channel for the cart's
 * customer; promotions from the catalog's `evaluate`; taxes from the rate table; shipping from the rate table.
 * Same cart, same channel prices (the same price lists) → the same total, whichever API asks.
 *
 * Integer minor units throughout. Rounding (docs/api.md "Cart pricing"): tax is computed per line on the line's
 * amount after discounts and rounded half up to the minor unit, once per line —
 * exclusive: tax = round(amount × rate); inclusive: tax = amount − round(amount ÷ (1 + rate)).
 * Totals are sums of the rounded lines, so the lines always add up to the totals.
 */
import type { ChannelsService } from '../channels';
import {
  roundHalfUp,
  type CatalogService,
  type Money,
  type PricesService,
  type PromotionsService,
} from '../catalog';
import type { LocationsService } from '../inventory';
import type { Cart, CartAddress, LineDeliveryMode } from './cart.repository';
import { invalid } from './cart.checks';
import { pickRate, type TaxService } from './tax.service';
import type { ShippingRateMethod, ShippingService } from './shipping.service';

export interface PricedLine {
  id: string;
  variant_id: string;
  sku: string;
  quantity: number;
  delivery_mode: LineDeliveryMode;
  unit_price: Money;
  /** unit price × quantity. */
  subtotal: Money;
  discount: Money;
  tax: Money;
  tax_rate_bp: number;
  tax_inclusive: boolean;
  /** subtotal − discount (+ tax when exclusive). */
  total: Money;
}

export interface PricedShipping {
  method: ShippingRateMethod;
  rate_id: string;
  name: string;
  amount: Money;
  discount: Money;
  tax: Money;
  total: Money;
  free_over_reached: boolean;
}

export interface CartIssue {
  line_id: string | null;
  reason: 'no_price' | 'no_shipping_rate' | 'no_shipping_address';
  detail: string;
}

export interface CartPricing {
  cart_id: string;
  channel_id: string;
  currency: string;
  customer_id: string | null;
  lines: PricedLine[];
  shipping: PricedShipping[];
  subtotal: Money;
  discount_total: Money;
  shipping_total: Money;
  tax_total: Money;
  grand_total: Money;
  applied_promotions: Array<{
    promotion_id: string;
    code: string | null;
    name: string;
    amount: Money;
    free_shipping: boolean;
    description: string;
  }>;
  not_applied_promotions: Array<{ code: string | null; name: string | null; reason: string; detail: string }>;
  issues: CartIssue[];
  at: string;
}

export interface PricingDeps {
  channels: Pick<ChannelsService, 'channelExists' | 'retrieveChannel'>;
  catalog: CatalogService;
  prices: Pick<PricesService, 'priceFor'>;
  promotions: Pick<PromotionsService, 'evaluate'>;
  locations: Pick<LocationsService, 'retrieveLocation'>;
  tax: TaxService;
  shipping: ShippingService;
}

/**
 * Tax of one line amount at `rateBp` basis points, rounded half up once.
 * @example lineTax(1000, 2100, false) // 210 (exclusive: added on top)
 * @example lineTax(1210, 2100, true) // 210 (inclusive: 1210 − round(1210 / 1.21) = 1210 − 1000)
 */
export function lineTax(amount: number, rateBp: number, inclusive: boolean): number {
  if (amount <= 0 || rateBp <= 0) return 0;
  return inclusive
    ? amount - roundHalfUp(amount * 10_000, 10_000 + rateBp)
    : roundHalfUp(amount * rateBp, 10_000);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function createPricing(deps: PricingDeps) {
  /** A product's categories and all their ancestors, for category tax rates that cover subcategories. */
  async function categoryScopes(productIds: string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    const unique = [...new Set(productIds)];
    const categoryIds = await deps.catalog.products.productCategoryIds(unique);
    const ancestors = new Map<string, string[]>();
    for (const id of unique) {
      const set = new Set<string>();
      for (const c of categoryIds.get(id) ?? []) {
        if (!ancestors.has(c))
          ancestors.set(c, (await deps.catalog.categories.retrieveCategory(c)).ancestor_ids);
        set.add(c);
        for (const a of ancestors.get(c)!) set.add(a);
      }
      out.set(id, set);
    }
    return out;
  }

  /** Where a line is taxed: the store for a pickup, else the delivery address, else the channel's country. */
  async function taxAddresses(cart: Cart, channelCountry: string | null) {
    const fallback = cart.shipping_address ?? (channelCountry ? { country: channelCountry } : null);
    const out = new Map<string, Pick<CartAddress, 'country' | 'region'> | null>();
    for (const l of cart.lines) {
      if (l.delivery_mode === 'pickup' && l.location_id) {
        out.set(l.id, (await deps.locations.retrieveLocation(l.location_id)).address);
      } else out.set(l.id, fallback);
    }
    return out;
  }

  return {
    /**
     * Prices a cart for the channel asking, in that channel's currency.
     * @example const p = await pricing.priceCart(cart, { channelId: 'cha_pos_madrid' })
     *   // p.lines[0] → { unit_price: { amount: 2999, … }, discount, tax: { amount: 520, … }, total, … }
     *   // p.grand_total → { amount: 3494, currency: 'EUR' }
     */
    async priceCart(
      cart: Cart,
      options: { channelId: string; at?: number | undefined },
    ): Promise<CartPricing> {
      if (!(await deps.channels.channelExists(options.channelId)))
        throw invalid([{ field: 'channel_id', message: 'is not a known channel' }]);
      const at = options.at ?? Date.now();
      const channel = await deps.channels.retrieveChannel(options.channelId);
      // The asking channel's currency; a channel without one shows the cart's own.
      const configured = channel.config.currency;
      const currency =
        typeof configured === 'string' && /^[A-Z]{3}$/.test(configured) ? configured : cart.currency;
      const channelCountry = typeof channel.config.country === 'string' ? channel.config.country : null;
      const issues: CartIssue[] = [];

      const variantIds = [...new Set(cart.lines.map((l) => l.variant_id))];
      const computed = variantIds.length
        ? (
            await deps.prices.priceFor({
              variantIds,
              currency,
              channelId: options.channelId,
              customerId: cart.customer_id,
              at,
            })
          ).data
        : [];
      const priceOf = new Map(computed.map((p) => [p.variant_id, p]));
      const priced = cart.lines.filter((l) => {
        if (priceOf.get(l.variant_id)?.price) return true;
        issues.push({
          line_id: l.id,
          reason: 'no_price',
          detail: `${l.sku} has no price in ${currency} in this channel`,
        });
        return false;
      });
      const goodsSubtotal = sum(priced.map((l) => priceOf.get(l.variant_id)!.price!.amount * l.quantity));

      // Shipping: one charge per method the lines need; pickup is free. free_over compares the goods subtotal
      // before discounts, as a promotion's min_subtotal does.
      const methods = new Set<ShippingRateMethod>();
      for (const l of priced)
        if (l.delivery_mode !== 'pickup')
          methods.add(l.delivery_mode === 'same_day' ? 'same_day' : cart.shipping_method);
      const charges: Array<{
        method: ShippingRateMethod;
        rate: Awaited<ReturnType<ShippingService['rateFor']>> & object;
        amount: number;
        free: boolean;
      }> = [];
      const country = cart.shipping_address?.country ?? null;
      if (methods.size && !country)
        issues.push({
          line_id: null,
          reason: 'no_shipping_address',
          detail: 'Shipping is charged once the cart has a shipping address',
        });
      for (const method of country ? methods : []) {
        const rate = await deps.shipping.rateFor(method, country!, currency);
        if (!rate) {
          issues.push({
            line_id: null,
            reason: 'no_shipping_rate',
            detail: `No ${method} shipping to ${country} in ${currency}`,
          });
          continue;
        }
        const free = rate.free_over !== null && goodsSubtotal >= rate.free_over;
        charges.push({ method, rate, amount: free ? 0 : rate.amount, free });
      }
      const shippingAmount = sum(charges.map((c) => c.amount));

      const evaluation = await deps.promotions.evaluate({
        currency,
        channel_id: options.channelId,
        customer_id: cart.customer_id,
        codes: cart.promotion_codes,
        lines: priced.map((l) => ({
          id: l.id,
          variant_id: l.variant_id,
          quantity: l.quantity,
          unit_price: priceOf.get(l.variant_id)!.price!,
        })),
        shipping: shippingAmount > 0 ? { amount: shippingAmount, currency } : null,
        at: new Date(at).toISOString(),
      });
      const discountOf = new Map(evaluation.lines.map((l) => [l.id, l.discount.amount]));
      const shippingDiscounted = (evaluation.shipping?.discount.amount ?? 0) > 0;

      const variants = new Map(
        (await deps.catalog.variants.retrieveVariants(variantIds)).map((v) => [v.id, v]),
      );
      const scopes = await categoryScopes([...variants.values()].map((v) => v.product_id));
      const addresses = await taxAddresses(cart, channelCountry);
      const ratesByCountry = new Map<string, Awaited<ReturnType<TaxService['ratesOf']>>>();
      const ratesOf = async (c: string) => {
        if (!ratesByCountry.has(c)) ratesByCountry.set(c, await deps.tax.ratesOf(c));
        return ratesByCountry.get(c)!;
      };
      const money = (amount: number): Money => ({ amount, currency });

      const lines: PricedLine[] = [];
      for (const l of priced) {
        const p = priceOf.get(l.variant_id)!;
        const subtotal = p.price!.amount * l.quantity;
        const discount = discountOf.get(l.id) ?? 0;
        const address = addresses.get(l.id);
        const scope = scopes.get(variants.get(l.variant_id)?.product_id ?? '') ?? new Set<string>();
        const rate = address ? pickRate(await ratesOf(address.country), address.region ?? null, scope) : null;
        const inclusive = p.tax_inclusive ?? true;
        const tax = lineTax(subtotal - discount, rate?.rate_bp ?? 0, inclusive);
        lines.push({
          id: l.id,
          variant_id: l.variant_id,
          sku: l.sku,
          quantity: l.quantity,
          delivery_mode: l.delivery_mode,
          unit_price: p.price!,
          subtotal: money(subtotal),
          discount: money(discount),
          tax: money(tax),
          tax_rate_bp: rate?.rate_bp ?? 0,
          tax_inclusive: inclusive,
          total: money(subtotal - discount + (inclusive ? 0 : tax)),
        });
      }

      // Shipping is taxed at the destination's general rate (no category).
      const general = country
        ? pickRate(await ratesOf(country), cart.shipping_address?.region ?? null, new Set())
        : null;
      const shipping: PricedShipping[] = charges.map((c) => {
        const discount = shippingDiscounted ? c.amount : 0;
        const tax = lineTax(c.amount - discount, general?.rate_bp ?? 0, c.rate.tax_inclusive);
        return {
          method: c.method,
          rate_id: c.rate.id,
          name: c.rate.name,
          amount: money(c.amount),
          discount: money(discount),
          tax: money(tax),
          total: money(c.amount - discount + (c.rate.tax_inclusive ? 0 : tax)),
          free_over_reached: c.free,
        };
      });

      const shippingTotal = sum(shipping.map((s) => s.total.amount));
      return {
        cart_id: cart.id,
        channel_id: options.channelId,
        currency,
        customer_id: cart.customer_id,
        lines,
        shipping,
        subtotal: money(sum(lines.map((l) => l.subtotal.amount))),
        // Goods discounts only: a shipping discount shows on its shipping entry (shipping_total is after it).
        discount_total: money(sum(lines.map((l) => l.discount.amount))),
        shipping_total: money(shippingTotal),
        tax_total: money(sum(lines.map((l) => l.tax.amount)) + sum(shipping.map((s) => s.tax.amount))),
        grand_total: money(sum(lines.map((l) => l.total.amount)) + shippingTotal),
        applied_promotions: evaluation.applied.map((a) => ({
          promotion_id: a.promotion_id,
          code: a.code,
          name: a.name,
          amount: a.amount,
          free_shipping: a.free_shipping,
          description: a.description,
        })),
        not_applied_promotions: evaluation.not_applied.map((n) => ({
          code: n.code,
          name: n.name,
          reason: n.reason,
          detail: n.detail,
        })),
        issues,
        at: new Date(at).toISOString(),
      };
    },
  };
}

export type Pricing = ReturnType<typeof createPricing>;
