/** @module Row types of the customers module's tables. */

export interface CustomerRow {
  id: string;
  /** active | merged (see merged_into) | erased */
  status: string;
  merged_into: string | null;
  first_name: string | null;
  last_name: string | null;
  /**
   * Name search keys, folded for case and accents ("Álvaro García" → "alvaro garcia" and "garcia alvaro"),
   * written with the names by nameSearchColumns() in customer.repository.ts; null when there is no name.
   */
  search_name: string | null;
  search_name_reversed: string | null;
  locale: string | null;
  timezone: string | null;
  addresses: unknown;
  traits: unknown;
  /** Channel ids this person has used, oldest first. */
  channels: unknown;
  /** Processing restricted (GDPR Art. 18): kept, but not used. */
  restricted: number | boolean;
  first_seen_at: number;
  last_seen_at: number;
  created_at: number;
  updated_at: number;
}

export interface CustomerIdentifierRow {
  id: string;
  customer_id: string;
  type: string;
  value: string;
  verified: number | boolean;
  source_channel_id: string | null;
  first_seen_at: number;
  last_seen_at: number;
}

/** Append-only: every creation, attachment, merge, unmerge, move and refused merge, with who/what/why. */
export interface IdentityLogRow {
  id: string;
  /** created | attached | merged | unmerged | conflict */
  kind: string;
  customer_id: string;
  other_customer_id: string | null;
  reason: string;
  /** What an unmerge needs: moved identifier ids, the loser's previous fields, the rule that decided. */
  data: unknown;
  actor: unknown;
  undone_by: string | null;
  occurred_at: number;
}

/** Salted hashes of erased identifiers (see suppression.ts). */
export interface PrivacySuppressionRow {
  hash: string;
  created_at: number;
}

/** Per-installation random values, such as the suppression salt. */
export interface InstallationSecretRow {
  name: string;
  value: string;
}

export interface CustomersTables {
  customers: CustomerRow;
  customer_identifiers: CustomerIdentifierRow;
  identity_log: IdentityLogRow;
  privacy_suppressions: PrivacySuppressionRow;
  installation_secrets: InstallationSecretRow;
}
