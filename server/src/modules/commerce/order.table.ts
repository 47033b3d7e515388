/** @module Row types of orders: the order, its lines, its edits and the per-business order number counter. */
import type { FulfilmentRow } from './fulfilment.table';

export interface OrderRow {
  id: string;
  /** Human order number (`#1042`), sequential per business, from `order_counters`. */
  number: number;
  channel_id: string;
  /** Null for a walk-in POS sale. */
  customer_id: string | null;
  source: string;
  status: string;
  currency: string;
  subtotal: number;
  discount_total: number;
  shipping_total: number;
  tax_total: number;
  total: number;
  capture_policy: string;
  /** PII (erased with the customer): contact and addresses as the caller gave them; JSON. */
  email: string | null;
  phone: string | null;
  shipping_address: unknown;
  billing_address: unknown;
  /** Marketplace import: the marketplace's id, unique per channel (a second import is the same order). */
  external_id: string | null;
  /** sha256 of the order status page secret returned once at creation. */
  access_secret_hash: string;
  placed_at: number;
  paid_at: number | null;
  cancelled_at: number | null;
  completed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OrderLineRow {
  id: string;
  order_id: string;
  position: number;
  variant_id: string | null;
  sku: string;
  title: string;
  quantity: number;
  unit_price: number;
  discount: number;
  tax: number;
  total: number;
  delivery_mode: string;
  location_id: string;
  /** JSON array of inventory reservation ids holding this line's units. */
  reservation_ids: unknown;
  fulfilment_id: string | null;
  created_at: number;
}

/** An edit before fulfilment: the totals before and after, and the payment difference it left. */
export interface OrderEditRow {
  id: string;
  order_id: string;
  previous_total: number;
  new_total: number;
  /** new total − captured at the time: positive is still due from the customer, negative is owed back. */
  balance_due: number;
  actor_type: string;
  actor_id: string | null;
  created_at: number;
}

export interface OrderCounterRow {
  id: string;
  last_number: number;
}

export interface OrderTables {
  orders: OrderRow;
  order_lines: OrderLineRow;
  order_edits: OrderEditRow;
  order_counters: OrderCounterRow;
  fulfilments: FulfilmentRow;
}
