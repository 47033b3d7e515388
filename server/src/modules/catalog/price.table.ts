/** @module Row types of prices and price lists. */

export interface CatalogPriceListRow {
  /** `prl_…` */
  id: string;
  name: string;
  description: string | null;
  /** `override` (replaces the price, by priority) | `sale` (applies when lower; the old price is shown). */
  type: string;
  /** `active` | `draft`. */
  status: string;
  /** JSON array of channel ids; empty = every channel. */
  channel_ids: unknown;
  /** JSON array of segment ids (customer groups are segments); empty = everyone. */
  segment_ids: unknown;
  /** Epoch ms; null = no start (always started). */
  starts_at: number | null;
  /** Epoch ms, exclusive; null = never ends. */
  ends_at: number | null;
  /** Higher wins among override lists. */
  priority: number;
  created_at: number;
  updated_at: number;
}

export interface CatalogPriceRow {
  /** `pri_…` */
  id: string;
  variant_id: string;
  /** ISO-4217 code. */
  currency: string;
  /** Minor units. */
  amount: number;
  tax_inclusive: number | boolean;
  /** Null: the variant's base price in this currency. */
  price_list_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface PriceTables {
  catalog_price_lists: CatalogPriceListRow;
  catalog_prices: CatalogPriceRow;
}
