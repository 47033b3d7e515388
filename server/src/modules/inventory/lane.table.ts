/** @module Row type of transfer lanes: the lead time from one location to another. */

export interface TransferLaneRow {
  id: string;
  from_location_id: string;
  to_location_id: string;
  /** Hours from departure to arrival at the destination. */
  lead_hours: number;
  /** JSON array of weekdays transfers leave on (`["mon","thu"]`); null: any day. */
  departure_days: unknown;
  created_at: number;
  updated_at: number;
}

export interface LaneTables {
  transfer_lanes: TransferLaneRow;
}
