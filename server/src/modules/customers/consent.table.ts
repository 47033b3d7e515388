/** @module Row types of consent and preferences: the append-only history, the current state, confirmations. */

/** Append-only: every consent record ever received, including late ones that did not change the current state. */
export interface ConsentEventRow {
  id: string;
  customer_id: string;
  purpose: string;
  /** A communication channel, or `*` when the record covers the purpose as a whole. */
  channel: string;
  /** granted | denied | withdrawn | pending_confirmation */
  status: string;
  /** channel | staff | import | customer */
  source_type: string;
  source_channel_id: string | null;
  legal_basis: string;
  /** Form wording and version, page URL, ip and user agent when given. */
  evidence: unknown;
  actor: unknown;
  /** When the person expressed it (decides which record is current). */
  occurred_at: number;
  /** When Omnis learned of it. */
  recorded_at: number;
}

/** The current state per (customer, purpose, channel): the newest record by occurred_at. */
export interface ConsentRow {
  customer_id: string;
  purpose: string;
  channel: string;
  status: string;
  source_type: string;
  source_channel_id: string | null;
  legal_basis: string;
  /** The consent_events row this state comes from. */
  event_id: string;
  occurred_at: number;
  updated_at: number;
}

/** Double opt-in requests: only a sha256 of the token is kept, so a database reader cannot confirm for anyone. */
export interface ConsentConfirmationRow {
  id: string;
  token_hash: string;
  customer_id: string;
  purpose: string;
  channel: string;
  /** The pending_confirmation record this token confirms. */
  event_id: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface CustomerPreferencesRow {
  customer_id: string;
  preferred_channel: string | null;
  /** 'HH:MM' local time, or null when the customer has no quiet hours. */
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  /** IANA zone of the quiet hours; null means the profile's timezone at the time of the check. */
  quiet_hours_timezone: string | null;
  updated_at: number;
}

export interface ConsentTables {
  consent_events: ConsentEventRow;
  consents: ConsentRow;
  consent_confirmations: ConsentConfirmationRow;
  customer_preferences: CustomerPreferencesRow;
}
