/** @module Row types of the tax rate and shipping rate tables (rates of goods and zones, never of people). */

export interface TaxRateRow {
  id: string;
  name: string;
  /** ISO-3166 alpha-2. */
  country: string;
  /** ISO-3166-2 subdivision code without the country (`CN` for the Canary Islands), or null: the whole country. */
  region: string | null;
  /** Null: every category without a rate of its own. */
  category_id: string | null;
  /** Basis points: 2100 = 21 %. */
  rate_bp: number;
  /** `country|region|category_id`: one rate per scope. */
  scope: string;
  created_at: number;
  updated_at: number;
}

export interface ShippingRateRow {
  id: string;
  name: string;
  method: string;
  /** JSON array of ISO-3166 alpha-2 codes: the zone. */
  countries: unknown;
  currency: string;
  amount: number;
  /** Free when the goods subtotal reaches this (minor units); null: never free. */
  free_over: number | null;
  tax_inclusive: number | boolean;
  active: number | boolean;
  created_at: number;
  updated_at: number;
}

export interface TaxTables {
  commerce_tax_rates: TaxRateRow;
  commerce_shipping_rates: ShippingRateRow;
}
