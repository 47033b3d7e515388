/** @module Row type of a fulfilment: the lines of one order leaving one location by one delivery mode. */

export interface FulfilmentRow {
  id: string;
  order_id: string;
  location_id: string;
  mode: string;
  status: string;
  /** Pickup after transfer: the location the units come from; null when they are here. */
  source_location_id?: string | null;
  /** Pickup after transfer: the inventory transfer bringing them (set when the order is placed). */
  transfer_id?: string | null;
  carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  /** Pickup only: sha256(id + code) of the code the customer shows; the code itself is never stored. */
  pickup_code_hash: string | null;
  /** Wrong codes presented so far; past the limit the pickup is locked. */
  pickup_attempts: number;
  /** Pickup only: when an uncollected pickup expires. */
  hold_until: number | null;
  picked_at: number | null;
  packed_at: number | null;
  shipped_at: number | null;
  ready_at: number | null;
  collected_at: number | null;
  out_for_delivery_at: number | null;
  delivered_at: number | null;
  expired_at: number | null;
  cancelled_at: number | null;
  created_at: number;
  updated_at: number;
}
