/** @module Row types of the outbox, consumer offsets and webhooks. */
import type { Generated } from 'kysely';

export interface OutboxEventRow {
  position: Generated<number>;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  customer_id: string | null;
  channel_id: string | null;
  actor: unknown;
  data: unknown;
  occurred_at: number;
}

export interface EventConsumerRow {
  name: string;
  position: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  updated_at: number;
}

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string;
  event_types: unknown;
  secret: string;
  active: number | boolean;
  created_at: number;
  updated_at: number;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: unknown;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  locked_until: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookAttemptRow {
  id: string;
  delivery_id: string;
  attempted_at: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
}

export interface EventTables {
  outbox_events: OutboxEventRow;
  event_consumers: EventConsumerRow;
  webhook_endpoints: WebhookEndpointRow;
  webhook_deliveries: WebhookDeliveryRow;
  webhook_attempts: WebhookAttemptRow;
}
