/** @module Row types of carts: the cart, its lines, its resume links and the HMAC keys that sign them. */

export interface CartRow {
  id: string;
  /** open | merged (claimed into another cart, see merged_into) | converted (became an order). */
  status: string;
  currency: string;
  channel_id: string;
  last_channel_id: string;
  /** JSON array of every channel id that touched the cart, first touch first. */
  channel_ids: unknown;
  customer_id: string | null;
  anonymous_id: string | null;
  /** PII, erased with the customer. */
  email: string | null;
  /** PII, erased with the customer; JSON. */
  shipping_address: unknown;
  shipping_method: string;
  /** JSON array of upper-cased promotion codes. */
  promotion_codes: unknown;
  merged_into: string | null;
  created_at: number;
  updated_at: number;
}

export interface CartLineRow {
  id: string;
  cart_id: string;
  variant_id: string;
  sku: string;
  quantity: number;
  delivery_mode: string;
  location_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface CartResumeRow {
  id: string;
  cart_id: string;
  customer_id: string;
  code_hash: string;
  expires_at: number;
  created_at: number;
}

export interface SigningKeyRow {
  purpose: string;
  secret: string;
  created_at: number;
}

export interface CartTables {
  commerce_carts: CartRow;
  commerce_cart_lines: CartLineRow;
  commerce_cart_resumes: CartResumeRow;
  commerce_signing_keys: SigningKeyRow;
}
