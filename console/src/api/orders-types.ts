/**
 * @module Shapes of the orders, fulfilments and payments API as the console reads them. They mirror the server's
 * TypeBox response schemas (server/src/modules/commerce/order.schemas.ts, payment.schemas.ts): money in integer
 * minor units with its currency, times as ISO-8601 strings.
 */
import type { Money } from '../lib/format';

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'fulfilling',
  'partially_fulfilled',
  'completed',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_SOURCES = ['checkout', 'pos', 'phone', 'chat', 'marketplace'] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

export const DELIVERY_MODES = ['ship', 'pickup', 'same_day', 'handover', 'reserve_in_store'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const FULFILMENT_STATUSES = [
  'in_transit',
  'pending',
  'picked',
  'packed',
  'shipped',
  'ready_for_pickup',
  'collected',
  'out_for_delivery',
  'delivered',
  'handed_over',
  'held',
  'expired',
  'cancelled',
] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

export interface OrderTotals {
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
}

export interface OrderSummary {
  id: string;
  number: number;
  /** "#1042". */
  display_number: string;
  channel_id: string;
  customer_id: string | null;
  source: OrderSource;
  status: OrderStatus;
  currency: string;
  totals: OrderTotals;
  capture_policy: string;
  email: string | null;
  phone: string | null;
  shipping_address: Record<string, unknown> | null;
  billing_address: Record<string, unknown> | null;
  external_id: string | null;
  placed_at: string;
  paid_at: string | null;
  cancelled_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderLine {
  id: string;
  position: number;
  variant_id: string | null;
  sku: string;
  title: string;
  quantity: number;
  unit_price: Money;
  discount: Money;
  tax: Money;
  total: Money;
  delivery: { mode: DeliveryMode; location_id: string };
  reservation_ids: string[];
  fulfilment_id: string | null;
}

export interface Fulfilment {
  id: string;
  order_id: string;
  location_id: string;
  mode: DeliveryMode;
  status: FulfilmentStatus;
  /** Pickup after transfer: where the units come from, and the transfer bringing them (in transit until received). */
  source_location_id: string | null;
  transfer_id: string | null;
  carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  /** Wrong pickup codes presented so far. */
  pickup_attempts: number;
  hold_until: string | null;
  picked_at: string | null;
  packed_at: string | null;
  shipped_at: string | null;
  ready_at: string | null;
  collected_at: string | null;
  out_for_delivery_at: string | null;
  delivered_at: string | null;
  expired_at: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderEdit {
  id: string;
  previous_total: Money;
  new_total: Money;
  balance_due: Money;
  created_at: string;
}

export interface Order extends OrderSummary {
  lines: OrderLine[];
  fulfilments: Fulfilment[];
  payments: { authorized: Money; captured: Money; refunded: Money; balance_due: Money };
  edits: OrderEdit[];
}

export type PaymentStatus =
  | 'pending'
  | 'requires_action'
  | 'authorized'
  | 'captured'
  | 'partially_refunded'
  | 'refunded'
  | 'voided'
  | 'failed';

export interface Refund {
  id: string;
  payment_id: string;
  amount: Money;
  status: 'pending' | 'succeeded' | 'failed';
  reason: string;
  provider_reference: string | null;
  failure_code: string | null;
  created_at: string;
}

export interface Payment {
  id: string;
  order_id: string | null;
  cart_id: string | null;
  channel_id: string;
  customer_id: string | null;
  provider: string;
  amount: Money;
  status: PaymentStatus;
  amount_authorized: Money;
  amount_captured: Money;
  amount_refunded: Money;
  provider_reference: string | null;
  details: Record<string, string | number | boolean | null>;
  failure_code: string | null;
  failure_message: string | null;
  created_at: string;
  updated_at: string;
}

export interface PaymentWithRefunds extends Payment {
  refunds: Refund[];
}

/** `GET /v1/orders/stats`: orders per calendar day of a time zone, every day of the range present. */
export interface OrderStats {
  tz: string;
  from: string;
  to: string;
  days: Array<{
    date: string;
    orders: number;
    /** Sum of order totals, one entry per currency. */
    revenue: Money[];
    channels: Array<{ channel_id: string; orders: number }>;
  }>;
  totals: { orders: number; revenue: Money[] };
}
