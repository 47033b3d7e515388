/**
 * @module Types of the resources the console reads and writes, as the HTTP API returns them
 * (snake_case, ISO-8601 UTC strings for times). Checked by hand against /openapi.json.
 */

export const ROLES = ['owner', 'admin', 'agent', 'associate', 'marketer', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['en', 'es', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

export const CHANNEL_KINDS = [
  'web',
  'app',
  'store',
  'phone',
  'email',
  'webchat',
  'sms',
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
  'marketplace',
  'kiosk',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale | null;
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: SessionUser;
}

export interface User extends SessionUser {
  active: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface Me extends User {
  permissions: string[];
}

export interface RoleGrant {
  role: Role;
  permissions: string[];
}

export interface Permission {
  name: string;
  description: string;
}

export interface RolesResponse {
  data: RoleGrant[];
  permissions: Permission[];
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface Channel {
  id: string;
  kind: ChannelKind;
  name: string;
  active: boolean;
  config: JsonObject;
  /** Names of the secrets that are set; values are write-only and never returned. */
  secrets: Record<string, true>;
  created_at: string;
  updated_at: string;
}

export interface ApiKey {
  id: string;
  kind: 'secret' | 'publishable';
  name: string;
  role: Role | null;
  channel_id: string | null;
  /** `sk_…a1b2` for secret keys; the whole `pk_…` key for publishable ones. */
  display: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatedApiKey extends ApiKey {
  /** The full key; returned once, on creation. */
  key: string;
}

export interface EventType {
  type: string;
  description: string;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  /** `whsec_…`; returned once, on creation or rotation. */
  secret: string;
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveryAttempt {
  attempted_at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
}

export interface WebhookDeliveryDetail extends WebhookDelivery {
  payload: JsonObject;
  attempt_log: DeliveryAttempt[];
}

export interface AuditActor {
  type: string;
  id: string | null;
  label: string | null;
}

export interface AuditEntry {
  id: string;
  actor: AuditActor;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  data: JsonValue;
  occurred_at: string;
}

export interface DomainEvent {
  id: string;
  type: string;
  aggregate: { type: string; id: string };
  customer_id: string | null;
  channel_id: string | null;
  actor: unknown;
  occurred_at: string;
  data: unknown;
}

export interface RealtimeMessage {
  type: 'event';
  event: DomainEvent;
}
