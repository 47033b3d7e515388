/** @module Row type of a customer notification (email or SMS about an order) and its outcome. */

export interface NotificationRow {
  id: string;
  /** The order's customer; null for a guest order (the address then comes from the order). */
  customer_id: string | null;
  order_id: string;
  fulfilment_id: string | null;
  /** order_confirmation | receipt | pickup_ready | shipped | out_for_delivery | refund_issued */
  kind: string;
  /** email | sms: what was asked for, even when no channel could carry it. */
  channel_kind: string;
  /** The business's email or SMS channel it left on (null when none is configured). */
  channel_id: string | null;
  address: string | null;
  locale: string | null;
  /** queued | sent | failed | skipped */
  status: string;
  /** Why it failed (the relay's answer) or was skipped (no_address, no_channel, consent: …). */
  error: string | null;
  provider_message_id: string | null;
  subject: string | null;
  /** The rendered message while it waits to leave; cleared once it is sent, failed or skipped. */
  body_text: string | null;
  body_html: string | null;
  /** What the message speaks of beyond the order (carrier and tracking, refund amount): JSON. */
  data: string;
  attempts: number;
  /** A worker's lease on a queued row (epoch ms): another worker takes it only once this passed. */
  claimed_until: number | null;
  actor_type: string;
  actor_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface NotificationTables {
  notifications: NotificationRow;
}
