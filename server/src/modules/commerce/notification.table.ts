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
  /**
   * What the provider reported after the hand-over (Twilio status callbacks): queued | sent | delivered |
   * undelivered | failed | read; null until a report arrives (email has none).
   */
  delivery_status: string | null;
  /** The provider's error code with an undelivered or failed report (`Twilio error 30006`). */
  delivery_error: string | null;
  delivery_updated_at: number | null;
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

/** The public page of an SMS receipt (`/r/<token>`): the token itself is never stored, only its SHA-256. */
export interface ReceiptLinkRow {
  id: string;
  token_hash: string;
  order_id: string;
  /** The SMS that carried the link (erasure of its customer deletes the link with it). */
  notification_id: string;
  /** The receipt's locale when it was sent: the page speaks the same language as the SMS. */
  locale: string;
  expires_at: number;
  read_count: number;
  last_read_at: number | null;
  created_at: number;
}

export interface NotificationTables {
  notifications: NotificationRow;
  receipt_links: ReceiptLinkRow;
}
