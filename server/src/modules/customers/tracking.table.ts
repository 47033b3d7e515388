/** @module Row type of raw tracking events (Segment-compatible ingestion). */

export interface TrackingEventRow {
  /** `tev_…`, time-sortable by arrival. */
  id: string;
  /** The client's messageId (or one made up on arrival); unique per channel: a repeat is counted once. */
  message_id: string;
  /** identify | track | page | screen | group | alias */
  type: string;
  /** Event name (track), page or screen name, group id (group), previous id (alias); null otherwise. */
  event: string | null;
  customer_id: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  /** The write key's channel: the Segment "source". */
  channel_id: string;
  properties: unknown;
  context: unknown;
  traits: unknown;
  /** When it happened, corrected for the client's clock skew (epoch ms). */
  timestamp: number;
  /** The client's own timestamp, as sent. */
  original_timestamp: number | null;
  sent_at: number | null;
  received_at: number;
}

export interface TrackingTables {
  tracking_events: TrackingEventRow;
}
