/** @module Row types of customer self-service: access tokens and erasure requests. */

/**
 * A customer access token: a preference link minted by staff or a server, or a link the customer asked for
 * (`source` = request) that waits, without a token, until the sender issues it into a message.
 */
export interface CustomerAccessTokenRow {
  id: string;
  /** The profile it was minted for; a merge makes it answer for the survivor, an unmerge gives it back. */
  customer_id: string;
  /** sha256 of the token; NULL while a requested link has not been issued. */
  token_hash: string | null;
  /** staff (minted through the API) | request (asked for by the customer) */
  source: string;
  /** The channel the link belongs to (consent changes through it name this channel). */
  channel_id: string | null;
  /** The email or phone identifier the link is sent to: opening it proves the customer reads that address. */
  sent_to_identifier_id: string | null;
  /** email | sms */
  sent_via: string | null;
  /** Who minted or requested it: `{ type, id }`. */
  actor: unknown;
  created_at: number;
  issued_at: number | null;
  /** Before issue: when the request goes stale; after: when the token stops working. */
  expires_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** A customer's request to be erased, decided by staff (see self-service.service.ts for why). */
export interface CustomerErasureRequestRow {
  id: string;
  customer_id: string;
  /** pending | completed | rejected | cancelled */
  status: string;
  channel_id: string | null;
  token_id: string | null;
  requested_at: number;
  /** One month after the request (GDPR Art. 12(3)). */
  due_at: number;
  decided_at: number | null;
  /** `{ type, id }` of the staff member or key that decided; null when erased by another path or cancelled. */
  decided_by: unknown;
  /** Why a request was rejected (a fixed vocabulary, never free text that could hold personal data). */
  reason: string | null;
}

export interface SelfServiceTables {
  customer_access_tokens: CustomerAccessTokenRow;
  customer_erasure_requests: CustomerErasureRequestRow;
}
