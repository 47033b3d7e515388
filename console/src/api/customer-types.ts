/**
 * @module Types of the customers module's resources (profiles, identifiers, the identity log, consent, the
 * timeline) as the HTTP API returns them. Checked by hand against /openapi.json.
 */

export interface CustomerIdentifier {
  id: string;
  /** email, phone, external_id, anonymous_id, device_id, loyalty_card, whatsapp, messenger_psid, … */
  type: string;
  value: string;
  verified: boolean;
  source_channel_id: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

export interface Customer {
  id: string;
  status: string;
  first_name: string | null;
  last_name: string | null;
  emails: string[];
  /** E.164. */
  phones: string[];
  identifiers: CustomerIdentifier[];
  locale: string | null;
  timezone: string | null;
  addresses: Array<Record<string, unknown>>;
  traits: Record<string, unknown>;
  /** Ids of the channels this person has used. */
  channels: string[];
  restricted: boolean;
  first_seen_at: string;
  last_seen_at: string;
  created_at: string;
  updated_at: string;
}

export interface CustomerDetail extends Customer {
  /** Set when the id asked for was merged into this profile: the id that was asked for. */
  merged_from: string | null;
}

/** What `POST /v1/customers/{id}/merge` would do, from the server's own merge plan (nothing is changed). */
export interface MergePreview {
  survivor_id: string;
  merged_id: string;
  /** The merge goes through without `force`. */
  allowed: boolean;
  /** Why the identity rules refuse it (the 409 the merge would answer); `force` overrides. */
  conflict: string | null;
  identifiers_moved: CustomerIdentifier[];
  fields_filled: Partial<Record<'first_name' | 'last_name' | 'locale' | 'timezone', string>>;
  traits_added: string[];
  channels_added: string[];
  /** The surviving profile as the merge would leave it. */
  result: Customer;
}

export interface IdentifierInput {
  type: string;
  value: string;
  verified?: boolean;
}

export interface ResolveInput {
  identifiers: IdentifierInput[];
  first_name?: string;
  last_name?: string;
  locale?: string;
  timezone?: string;
  channel_id?: string;
}

export interface ResolveResult {
  customer: Customer;
  created: boolean;
  merged: string[];
  conflicts: Array<{ customer_id: string; reason: string }>;
}

export interface IdentityLogEntry {
  id: string;
  /** created | attached | merged | unmerged | conflict */
  kind: string;
  customer_id: string;
  other_customer_id: string | null;
  reason: string;
  undone: boolean;
  occurred_at: string;
}

export interface CustomerExport {
  customer_id: string;
  merged_profiles: string[];
  exported_at: string;
  data: Record<string, Record<string, unknown[]>>;
}

export const CONSENT_PURPOSES = [
  'service',
  'marketing',
  'analytics',
  'personalization',
  'profiling',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const COMMUNICATION_CHANNELS = [
  'email',
  'sms',
  'whatsapp',
  'push',
  'phone',
  'post',
  'messenger',
  'in_app',
] as const;
export type CommunicationChannel = (typeof COMMUNICATION_CHANNELS)[number];

export const CONSENT_STATUSES = ['granted', 'denied', 'withdrawn', 'pending_confirmation'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export interface ConsentSource {
  /** channel | staff | import | customer */
  type: string;
  channel_id: string | null;
}

export interface Consent {
  purpose: string;
  /** null: the purpose as a whole. */
  channel: string | null;
  status: string;
  source: ConsentSource;
  legal_basis: string;
  occurred_at: string;
  event_id: string;
  customer_id: string;
}

export interface ConsentPreferences {
  preferred_channel: string | null;
  quiet_hours: { start: string; end: string; timezone: string | null } | null;
  updated_at: string | null;
}

export interface ConsentMatrix {
  customer_id: string;
  consents: Consent[];
  preferences: ConsentPreferences;
}

export interface ConsentRecord {
  id: string;
  customer_id: string;
  purpose: string;
  channel: string | null;
  status: string;
  source: ConsentSource;
  legal_basis: string;
  evidence: {
    wording?: string;
    version?: string;
    page_url?: string;
    ip?: string;
    user_agent?: string;
    note?: string;
  };
  actor: { type: string; id: string | null };
  occurred_at: string;
  recorded_at: string;
}

export interface TimelineEntry {
  id: string;
  occurred_at: string;
  /** track, page, screen, identify, group, alias, or an event noun (order, message, consent…). */
  kind: string;
  type: string;
  channel_id: string | null;
  source: 'tracking' | 'event';
  summary: string;
  data: Record<string, unknown>;
}

export interface TimelinePage {
  customer_id: string;
  data: TimelineEntry[];
  next_cursor: string | null;
}
