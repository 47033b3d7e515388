/** @module Row types of promotions, their redemptions and per-customer usage counters. */

export interface CatalogPromotionRow {
  /** `pro_…` */
  id: string;
  name: string;
  description: string | null;
  /** Upper-cased code; null for an automatic promotion. */
  code: string | null;
  /** `percentage` | `fixed_amount` | `buy_x_get_y` | `free_shipping`. */
  kind: string;
  /** `active` | `draft` | `archived`. */
  status: string;
  /** percentage: whole percent off (1–100). */
  percent: number | null;
  /** fixed_amount: minor units off the eligible lines, in `currency`. */
  amount: number | null;
  currency: string | null;
  /** buy_x_get_y: buy this many eligible units… */
  buy_quantity: number | null;
  /** …and this many more get `get_percent` off (100 = free). */
  get_quantity: number | null;
  get_percent: number | null;
  /** buy_x_get_y: at most this many groups per cart; null = no limit. */
  max_applications: number | null;
  channel_ids: unknown;
  segment_ids: unknown;
  product_ids: unknown;
  category_ids: unknown;
  min_subtotal_amount: number | null;
  min_subtotal_currency: string | null;
  starts_at: number | null;
  ends_at: number | null;
  usage_limit: number | null;
  usage_limit_per_customer: number | null;
  times_used: number;
  /** Higher applies first. */
  priority: number;
  created_at: number;
  updated_at: number;
}

export interface CatalogPromotionRedemptionRow {
  /** `red_…` */
  id: string;
  promotion_id: string;
  /** The order or cart id the promotion was used for. */
  reference: string;
  customer_id: string | null;
  channel_id: string | null;
  /** `redeemed` | `released`. */
  status: string;
  redeemed_at: number;
  released_at: number | null;
}

export interface CatalogPromotionCustomerUsageRow {
  promotion_id: string;
  customer_id: string;
  times_used: number;
}

export interface PromotionTables {
  catalog_promotions: CatalogPromotionRow;
  catalog_promotion_redemptions: CatalogPromotionRedemptionRow;
  catalog_promotion_customer_usage: CatalogPromotionCustomerUsageRow;
}
