/**
 * @module Re-pricing an edited order's lines with the same `priceCart` every channel uses: the order's lines become
 * a transient cart of the order's channel and customer, priced as of now (prices, lists, automatic promotions,
 * taxes). Shipping is not re-priced: an edit changes goods, not where they go.
 */
import type { Db } from '../../platform/db/database';
import { AppError } from '../../platform/errors';
import { variantsBySku } from '../catalog';
import type { Cart } from './cart.repository';
import type { RepriceLines } from './order.service';
import type { Pricing } from './pricing';

export function repriceOrderLines(db: Db, pricing: Pricing): RepriceLines {
  return async (order, lines) => {
    const variants = new Map(
      (
        await variantsBySku(
          db,
          lines.map((l) => l.sku),
        )
      ).map((v) => [v.sku, v.id]),
    );
    const now = new Date().toISOString();
    const cart: Cart = {
      id: 'order-edit',
      status: 'open',
      currency: order.currency,
      channel_id: order.channel_id,
      last_channel_id: order.channel_id,
      channel_ids: [order.channel_id],
      customer_id: order.customer_id,
      anonymous_id: null,
      email: null,
      shipping_address: null,
      shipping_method: 'standard',
      promotion_codes: [],
      merged_into: null,
      lines: lines.map((l, i) => ({
        id: String(i),
        variant_id: variants.get(l.sku) ?? '',
        sku: l.sku,
        quantity: l.quantity,
        delivery_mode: l.mode === 'same_day' || l.mode === 'pickup' ? l.mode : 'ship',
        location_id: l.location_id,
        created_at: now,
        updated_at: now,
      })),
      created_at: now,
      updated_at: now,
    };
    const priced = await pricing.priceCart(cart, { channelId: order.channel_id });
    const unpriced = priced.issues.find((issue) => issue.reason === 'no_price');
    if (unpriced)
      throw new AppError('validation_failed', 'A line of the edited order has no price in this channel.', {
        errors: [{ field: `body.lines.${unpriced.line_id}`, message: unpriced.detail }],
      });
    const byId = new Map(priced.lines.map((l) => [l.id, l]));
    return lines.map((_, i) => {
      const line = byId.get(String(i))!;
      return {
        unit_price: line.unit_price.amount,
        discount: line.discount.amount,
        tax: line.tax.amount,
        total: line.total.amount,
      };
    });
  };
}
