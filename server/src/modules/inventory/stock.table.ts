/** @module Row types of stock: levels, the movement ledger, channel allocations, reservations and transfers. */

export interface StockLevelRow {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  /** Units on their way here by transfer. */
  incoming: number;
  low_stock_threshold: number | null;
  created_at: number;
  updated_at: number;
}

/** One append-only ledger entry: on hand, reserved and incoming of a level are the sums of their deltas. */
export interface StockMovementRow {
  id: string;
  sku: string;
  location_id: string;
  kind: string;
  on_hand_delta: number;
  reserved_delta: number;
  incoming_delta: number;
  on_hand_after: number;
  reserved_after: number;
  reason: string | null;
  actor_type: string;
  actor_id: string | null;
  channel_id: string | null;
  /** What caused it: `reservation`, `transfer`, `count`, `order`, … and its id. */
  reference_type: string | null;
  reference_id: string | null;
  occurred_at: number;
}

export interface StockAllocationRow {
  channel_id: string;
  location_id: string;
  priority: number;
  holdback: number;
  created_at: number;
  updated_at: number;
}

export interface StockReservationRow {
  id: string;
  key: string | null;
  channel_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  /**
   * active → confirmed → fulfilled; active|confirmed → released; active → expired; confirmed → in_transit (with a
   * transfer) → confirmed at the destination, or released on the way.
   */
  status: string;
  reference_type: string;
  reference_id: string;
  /** The transfer this reservation travels (or travelled) with. */
  transfer_id?: string | null;
  expires_at: number | null;
  actor_type: string;
  actor_id: string | null;
  confirmed_at: number | null;
  ended_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface StockTransferRow {
  id: string;
  from_location_id: string;
  to_location_id: string;
  /** in_transit → received. */
  status: string;
  eta: number;
  reason: string | null;
  actor_type: string;
  actor_id: string | null;
  shipped_at: number;
  received_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface StockTransferLineRow {
  transfer_id: string;
  sku: string;
  quantity: number;
  received_quantity: number | null;
}

export interface StockTables {
  stock_levels: StockLevelRow;
  stock_movements: StockMovementRow;
  stock_allocations: StockAllocationRow;
  stock_reservations: StockReservationRow;
  stock_transfers: StockTransferRow;
  stock_transfer_lines: StockTransferLineRow;
}
